-- Run by tests/lsp.rs in `nvim --headless` (0.7's built-in LSP client): starts
-- `gwsonnet lsp`, attaches the buffer, asks for completion and hover at the positions
-- the test gives, and writes what Neovim received as JSON to $GW_OUT.
local env = function(name) return os.getenv(name) end
local id = vim.lsp.start_client({
  name = 'gwsonnet',
  cmd = { env('GW_BIN'), 'lsp' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, id)
local ready = vim.wait(60000, function()
  local c = vim.lsp.get_client_by_id(id)
  return c ~= nil and c.server_capabilities ~= nil and c.server_capabilities.completionProvider ~= nil
end, 20)
local function at(line, col)
  return {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = tonumber(line), character = tonumber(col) },
  }
end
local function ask(method, params)
  local res = vim.lsp.buf_request_sync(0, method, params, 60000) or {}
  local r = res[id] or {}
  return { result = r.result, err = r.err }
end
local out = {
  ready = ready,
  completion = ask('textDocument/completion', at(env('GW_C_LINE'), env('GW_C_COL'))),
  hover = ask('textDocument/hover', at(env('GW_H_LINE'), env('GW_H_COL'))),
}
local f = io.open(env('GW_OUT'), 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.lsp.stop_client(id)
-- Let the client finish its shutdown and exit handshake before quitting.
vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
vim.cmd('qa!')
