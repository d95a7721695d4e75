// gwsonnet's doc-util: the docsonnet documentation helpers for Jsonnet libraries,
// served at `doc-util/main.libsonnet` and
// `github.com/jsonnet-libs/docsonnet/doc-util/main.libsonnet`.
//
// Libraries describe their API with docstring fields next to the fields they document:
//
//   {
//     '#withName': d.fn('Sets the name.', [d.arg('name', d.T.string)]),
//     withName(name): { name: name },
//   }
//
// The constructors return plain data (`{ function: { help, args } }`,
// `{ object: { help, fields } }`, `{ value: { help, type, default } }`), and `render`
// turns a documented package into markdown files.

local getOr(o, key, fallback) =
  if std.objectHasAll(o, key) then o[key] else fallback;

// ---------------------------------------------------------------------------------
// markdown rendering of a documented package
// ---------------------------------------------------------------------------------
local markdown = {
  // Marks "no default given": `null` is a legitimate default of a schema argument.
  local none = std.char(7),

  local docKey(k) =
    assert std.startsWith(k, '#') : 'Key %s not a docstring key' % k;
    std.substr(k, 1, std.length(k) - 1),

  local heading(text, level) =
    '\n' + std.join('', std.makeArray(level + 1, function(_) '#')) + ' ' + text + '\n',

  local anchor(parts) =
    std.asciiLower(std.strReplace(std.strReplace(std.join('', parts), '.', ''), ' ', '-')),

  local indent(path) = std.join('', std.makeArray(std.length(path) * 2, function(_) ' ')),

  local json(v) = std.manifestJsonEx(v, '', '', ': '),

  // Docstring keys `#name` documenting a `kind` ('function', 'object', 'value') of an
  // existing field `name`.
  local documented(kind, o) = [
    k
    for k in std.objectFieldsAll(o)
    if std.startsWith(k, '#')
       && std.isObject(o[k])
       && !std.objectHasAll(o[k], 'ignore')
       && std.objectHasAll(o[k], kind)
       && std.objectHasAll(o, docKey(k))
  ],

  local argType(a) =
    local t = if std.objectHasAll(a, 'schema') then getOr(a.schema, 'type', '') else getOr(a, 'type', '');
    if std.isArray(t)
    then std.join(',', ['`%s`' % x for x in std.set(t)])
    else '`%s`' % t,

  local argDefault(a) =
    if std.objectHasAll(a, 'schema')
    then getOr(a.schema, 'default', none)
    else
      local v = getOr(a, 'default', none);
      if v == null then none else v,

  local argEnum(a) =
    if std.objectHasAll(a, 'schema')
    then getOr(a.schema, 'enum', [])
    else
      local v = getOr(a, 'enums', []);
      if v == null then [] else v,

  local fnSection(name, doc, path) =
    local args = doc['function'].args;
    local full = std.join('.', path + [name]);
    local signature = std.join(', ', [
      local v = argDefault(a);
      if v != none then a.name + '=' + json(v) else a.name
      for a in args
    ]);
    local params =
      if std.length(args) == 0 then ''
      else '\nPARAMETERS:\n\n' + std.join('\n', [
        '* **%s** (%s)' % [a.name, argType(a)]
        + (local v = argDefault(a); if v != none then '\n   - default value: `%s`' % json(v) else '')
        + (local e = argEnum(a);
           if e != [] then '\n   - valid values: %s' % std.join(', ', ['`%s`' % json(x) for x in e]) else '')
        for a in args
      ]);
    {
      index: indent(path) + '* [`fn %s(%s)`](#fn-%s)\n' % [name, signature, anchor(path + [name])],
      body: std.join('\n', [
        heading('fn ' + full, std.length(path) + 2),
        '```jsonnet\n%s(%s)\n```\n%s\n' % [full, signature, params],
        getOr(doc['function'], 'help', ''),
      ]),
    },

  local valueLine(name, doc, v, path) =
    std.join(' ', [
      '`%s`' % std.join('.', path + [name]),
      '(`%s`):' % doc.value.type,
      '`"%s"`' % v,
      '-',
      getOr(doc.value, 'help', ''),
    ]),

  // The documented members of `o`, which sits at `path` below the package.
  local members(o, path) =
    local functions = [fnSection(docKey(k), o[k], path) for k in documented('function', o)];
    local values = [valueLine(docKey(k), o[k], o[docKey(k)], path) for k in documented('value', o)];
    local objSection(name, doc, child) =
      local inner = members(child, path + [name]);
      local help = getOr(doc.object, 'help', '');
      {
        hasFields: inner.hasFields,
        index: indent(path) + '* [`obj %s`](#obj-%s)\n' % [name, anchor(path + [name])]
               + (if inner.hasFields then inner.index else ''),
        body: std.join('\n', [heading('obj ' + std.join('.', path + [name]), std.length(path) + 2)]
                             + (if help != '' then [help] else [])
                             + [inner.body]),
      };
    local plain = [
      k
      for k in std.objectFieldsAll(o)
      if !std.startsWith(k, '#')
         && std.isObject(o[k])
         && !std.objectHasAll(o[k], 'ignore')
         && !std.objectHasAll(o, '#' + k)
         && !std.objectHasAll(o[k], '#')
    ];
    local objects =
      [objSection(docKey(k), o[k], o[docKey(k)]) for k in documented('object', o)]
      + [s for s in [objSection(k, { object: { help: '' } }, o[k]) for k in plain] if s.hasFields];
    {
      hasFields: std.length(values) + std.length(functions) + std.length(objects) > 0,
      index: std.join('', [f.index for f in functions]) + std.join('', [s.index for s in objects]),
      body: (if std.length(values) > 0 then std.join('\n', ['* ' + v for v in values]) + '\n' else '')
            + std.join('', [f.body for f in functions])
            + std.join('', [s.body for s in objects]),
    },

  // Where `path` is seen from `from`: `..` for each step up, then the rest of `path`.
  local relative(path, from) =
    local n = std.min(std.length(path), std.length(from));
    local common = std.foldl(
      function(acc, i) if acc.done || path[i] != from[i] then acc { done: true } else acc { count: acc.count + 1 },
      std.range(0, n - 1),
      { done: false, count: 0 }
    ).count;
    ['..' for _ in std.range(0, std.length(from) - common - 1)] + path[common:],

  // The packages below `o` (documented with a `#` field), searching through plain objects.
  local subPackages(o, path) =
    std.flattenArrays([
      local child = o[k];
      if std.objectHasAll(child, '#') && !std.objectHasAll(child['#'], 'ignore')
      then [
        (if std.objectHasAll(o, '#' + k)
         then std.trace('warning: %s both defined as object and package' % k, package(child, path + [k]))
         else package(child, path + [k])),
      ]
      else subPackages(child, path + [k])
      for k in std.objectFieldsAll(o)
      if !std.startsWith(k, '#') && std.isObject(o[k])
    ]),

  local package(o, path) =
    local doc = o['#'];
    local subs = subPackages(o, path);
    local suffix = if std.length(subs) > 0 then '/index.md' else '.md';
    local fields = members(o, []);
    {
      file: std.join('/', path) + suffix,
      link(from):
        local rel = relative(path, from);
        '[%s](%s)' % [std.join('.', rel), std.join('/', rel) + suffix],
      subs: subs,
      text:
        std.join('\n', [
          '# ' + doc.name + '\n',
          getOr(doc, 'help', ''),
          '',
        ]
        + (if std.length(subs) > 0
           then ['## Subpackages\n\n' + std.join('\n', ['* ' + s.link(path) for s in subs]) + '\n']
           else [])
        + (if fields.hasFields
           then ['## Index\n\n' + fields.index + '\n## Fields\n' + fields.body]
           else [])),
    },

  local files(subs) =
    std.foldl(function(acc, s) acc { [s.file]: s.text } + files(s.subs), subs, {}),

  render(obj):
    assert std.isObject(obj) && '#' in obj : 'error: object is not a docsonnet package';
    local top = package(obj, []);
    { 'README.md': top.text } + files(top.subs),
};

{
  local d = self,

  '#':
    d.pkg(
      name='doc-util',
      url='github.com/jsonnet-libs/docsonnet/doc-util',
      help='`doc-util` documents Jsonnet libraries with data: docstring fields built by\nthese helpers, which `render` (or the `docsonnet` tool) turns into markdown.\n',
      filename=std.thisFile,
    )
    + d.package.withUsageTemplate('local d = import "%(import)s"'),

  package:: {
    '#new':: d.fn(|||
      `new` describes a package (the `#` field of a library's main object).

      Arguments:

      * `name` of the package
      * `url` it is installed from with jsonnet-bundler (and imported from)
      * `help` text
      * `filename` of the entry point below `url` (blank: `url` itself is imported)
      * `version` for `jb install`, `master` unless given
    |||, [
      d.arg('name', d.T.string),
      d.arg('url', d.T.string),
      d.arg('help', d.T.string),
      d.arg('filename', d.T.string, ''),
      d.arg('version', d.T.string, 'master'),
    ]),
    new(name, url, help, filename='', version='master')::
      {
        name: name,
        url: url,
        filename: filename,
        version: version,
        'import': if filename == '' then url else url + '/' + filename,
        help:
          help
          + getOr(self, 'installTemplate', '') % self
          + getOr(self, 'usageTemplate', '') % self,
      }
      + self.withInstallTemplate('jb install %(url)s@%(version)s')
      + self.withUsageTemplate('local %(name)s = import "%(import)s"'),

    '#newSub':: d.fn(|||
      `newSub` describes a sub-package: a `name` and a `help` text, with no install or
      usage section.
    |||, [
      d.arg('name', d.T.string),
      d.arg('help', d.T.string),
    ]),
    newSub(name, help):: { name: name, help: help },

    // The install section appended to the help; the package's fields fill in
    // `%(url)s`, `%(version)s`, ...; `null` drops the section.
    withInstallTemplate(template):: {
      installTemplate:
        if template == null then ''
        else '\n## Install\n\n```\n%s\n```\n' % template,
    },

    // The usage section appended to the help, filled in like the install section.
    withUsageTemplate(template):: {
      usageTemplate:
        if template == null then ''
        else '\n## Usage\n\n```jsonnet\n%s\n```\n' % template,
    },
  },

  '#pkg':: self.package['#new'] + d.func.withHelp('`pkg` is short for `package.new`.'),
  pkg:: self.package.new,

  '#object': d.obj('Helpers to document objects (`{ }`).'),
  object:: {
    '#new': d.fn('`new` documents an object: its `help` text and (optionally) documented `fields`.', [
      d.arg('help', d.T.string),
      d.arg('fields', d.T.object),
    ]),
    new(help='', fields={}):: { object: { help: help, fields: fields } },

    '#withFields': d.fn('`withFields` replaces the `fields` of an object\'s docs.', [
      d.arg('fields', d.T.object),
    ]),
    withFields(fields):: { object+: { fields: fields } },
  },

  '#obj': self.object['#new'] + d.func.withHelp('`obj` is short for `object.new`.'),
  obj:: self.object.new,

  '#func': d.obj('Helpers to document functions (methods of objects).'),
  func:: {
    '#new': d.fn('`new` documents a function: its `help` text and its `args` (made with `d.arg`).', [
      d.arg('help', d.T.string),
      d.arg('args', d.T.array),
    ]),
    new(help='', args=[]):: { 'function': { help: help, args: args } },

    '#withHelp': d.fn('`withHelp` replaces the help text of a function\'s docs.', [
      d.arg('help', d.T.string),
    ]),
    withHelp(help):: { 'function'+: { help: help } },

    '#withArgs': d.fn('`withArgs` replaces the arguments of a function\'s docs.', [
      d.arg('args', d.T.array),
    ]),
    withArgs(args):: { 'function'+: { args: args } },
  },

  '#fn': self.func['#new'] + d.func.withHelp('`fn` is short for `func.new`.'),
  fn:: self.func.new,

  '#argument': d.obj('Helpers to describe function arguments.'),
  argument:: {
    '#new': d.fn(|||
      `new` describes an argument by `name` and `type` (one of `d.T`), with an optional
      `default` value and the list of allowed values, `enums`:

      ```jsonnet
      d.argument.new('replicas', d.T.number, default=1, enums=[1, 3, 5])
      ```
    |||, [
      d.arg('name', d.T.string),
      d.arg('type', d.T.string),
      d.arg('default', d.T.any),
      d.arg('enums', d.T.array),
    ]),
    new(name, type, default=null, enums=null): {
      name: name,
      type: type,
      default: default,
      enums: enums,
    },

    '#fromSchema': d.fn(|||
      `fromSchema` describes an argument by `name` and a JSON `schema` (its `type`,
      `default` and `enum` are shown in the docs):

      ```jsonnet
      d.argument.fromSchema('mode', { type: 'string', enum: ['a', 'b'] })
      ```
    |||, [
      d.arg('name', d.T.string),
      d.arg('schema', d.T.object),
    ]),
    fromSchema(name, schema): { name: name, schema: schema },
  },

  '#arg': self.argument['#new'] + self.func.withHelp('`arg` is short for `argument.new`.'),
  arg:: self.argument.new,

  '#value': d.obj('Helpers to document plain values (not objects or functions).'),
  value:: {
    '#new': d.fn('`new` documents a value: its `type`, `help` text and `default`.', [
      d.arg('type', d.T.string),
      d.arg('help', d.T.string),
      d.arg('default', d.T.any),
    ]),
    new(type, help='', default=null): { value: { help: help, type: type, default: default } },
  },

  '#val': self.value['#new'] + self.func.withHelp('`val` is short for `value.new`.'),
  val:: self.value.new,

  // The names of the Jsonnet types, for `type` arguments.
  T:: {
    '#string': d.val(d.T.string, 'the type of strings ("string")'),
    string: 'string',

    '#number': d.val(d.T.string, 'the type of numbers ("number")'),
    number: 'number',
    int: self.number,
    integer: self.number,

    '#boolean': d.val(d.T.string, 'the type of booleans ("boolean")'),
    boolean: 'bool',
    bool: self.boolean,

    '#object': d.val(d.T.string, 'the type of objects ("object")'),
    object: 'object',

    '#array': d.val(d.T.string, 'the type of arrays ("array")'),
    array: 'array',

    '#any': d.val(d.T.string, 'any type ("any")'),
    any: 'any',

    '#null': d.val(d.T.string, 'the type of null ("null")'),
    'null': 'null',
    nil: self['null'],

    '#func': d.val(d.T.string, 'the type of functions ("func")'),
    func: 'function',
    'function': self.func,
  },

  '#render': d.fn(
    |||
      `render` turns a documented package into markdown: an object mapping file names
      (`README.md`, and one file per sub-package) to their text. Write them with
      `jsonnet -S -c -m docs/ docs.jsonnet`, where docs.jsonnet is

      ```jsonnet
      d.render(import 'main.libsonnet')
      ```
    |||,
    args=[d.arg('obj', d.T.object)]
  ),
  render:: markdown.render,
}
