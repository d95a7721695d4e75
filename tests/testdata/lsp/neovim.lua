-- Run by tests/lsp.rs in `nvim --headless` after the README's Neovim snippet (the
-- `init.lua` the test starts Neovim with) has started `gwsonnet lsp` for the file
-- opened: finds that client, asks for completion and hover at the positions the test
-- gives, and writes what Neovim received as JSON to $GW_OUT.
local env = function(name) return os.getenv(name) end
-- `get_active_clients` in 0.7, `get_clients` from 0.10.
local clients = vim.lsp.get_clients or vim.lsp.get_active_clients
local client
local ready = vim.wait(60000, function()
  for _, c in ipairs(clients()) do
    if c.name == 'gwsonnet' and vim.lsp.buf_is_attached(0, c.id) then client = c end
  end
  return client ~= nil and client.server_capabilities ~= nil
    and client.server_capabilities.completionProvider ~= nil
end, 20)
local id = client and client.id
local function at(line, col)
  return {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = tonumber(line), character = tonumber(col) },
  }
end
local function ask(method, params)
  if not ready then return {} end
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
if id then
  vim.lsp.stop_client(id)
  -- Let the client finish its shutdown and exit handshake before quitting.
  vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end
vim.cmd('qa!')
