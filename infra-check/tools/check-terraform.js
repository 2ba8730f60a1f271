#!/usr/bin/env node
'use strict';
// Checks infra/ the way `terraform validate` and `terraform plan` would, without Terraform or
// network access (run by infra-check's TerraformCheckTest; usage: node check-terraform.js <infra dir>):
//
//  1. every .tf, .tfvars.example and .terraform.lock.hcl file parsed by HashiCorp's HCL parser;
//  2. every resource, data source and provider block against the AWS provider schema
//     (lib/schema.js): unknown argument or nested block, missing required argument or block,
//     Terraform meta-arguments (count, for_each, provider, depends_on, lifecycle, dynamic, ...);
//  3. module calls against the called module's variables (unknown argument, missing required one);
//  4. references against declarations (var, local, module outputs, resources and their
//     attributes, data sources, each/count/path/terraform, for-expression and dynamic iterators);
//  5. variable values against their validation blocks: defaults, example tfvars, and the values
//     each caller passes down (evaluated, lib/eval.js); a condition that cannot be evaluated is a
//     finding, so no validation is skipped silently;
//  6. count and for_each whose value is known only after apply, traced through locals, module
//     outputs and variables of called modules to the resource attribute it comes from;
//  7. provider pins against the schema version, and each root's .terraform.lock.hcl against the
//     providers its module tree requires.
// Prints one "FINDING <file>:<line>: <message>" line per finding and a summary line; exit code 0
// when it ran (findings or not), 2 when it could not run.
const fs = require('fs');
const path = require('path');
const hcl = require('./lib/hcl');
const schema = require('./lib/schema');
const E = require('./lib/eval');

// Several infra directories may be given (the tests check fault-injected copies in one run);
// each gets its own "== CHECK <dir>" section.
let infra;
let repo;
const rel = p => path.relative(repo, p) || '.';
let findings; // message -> contexts (module instances) it was found in
let stats;

function finding(where, message, context) {
  const line = `${where}: ${message}`;
  if (!findings.has(line)) findings.set(line, []);
  if (context && !findings.get(line).includes(context)) findings.get(line).push(context);
}
let facts = [];

// Attributes the provider still accepts but has deprecated (the generated schema package does not
// carry deprecation marks, so they are listed here with the provider's own words).
const DEPRECATED = {
  'data aws_region.name': 'AWS provider 6 deprecates it in favour of "region" (Version 6 upgrade guide, data source aws_region)',
};

// Arguments the provider silently drops for some values: what the file says is not what is
// deployed. Each entry names the provider code that does it.
const DROPPED = {
  'aws_lambda_event_source_mapping.maximum_batching_window_in_seconds': {
    when: v => v === 0,
    why: 'the provider sends MaximumBatchingWindowInSeconds only when d.GetOk() reports it set, and GetOk is false for 0 ' +
      '(internal/service/lambda/event_source_mapping.go, resourceEventSourceMappingCreate), so Lambda applies its default ' +
      '(500 ms for Amazon MQ) while the configuration says 0: leave it unset (null) or use 1-300',
  },
};

// ------------------------------------------------------------------ files and modules

const RESOURCE_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'dynamic']);
const DATA_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'dynamic']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const VARIABLE_KEYS = new Set(['description', 'type', 'default', 'validation', 'sensitive', 'nullable', 'ephemeral']);
const OUTPUT_KEYS = new Set(['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral']);
const LIFECYCLE_KEYS = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition']);

function tfDirs(dir, out = []) {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some(e => e.isFile() && e.name.endsWith('.tf'))) out.push(dir);
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) tfDirs(path.join(dir, e.name), out);
  return out;
}

let models = new Map();

async function loadModel(dir) {
  if (models.has(dir)) return models.get(dir);
  const m = {
    dir, rel: rel(dir), files: [], variables: {}, locals: {}, outputs: {}, resources: {}, data: {}, modules: {},
    providers: [], terraform: [], tfvars: [], lock: null, broken: false,
  };
  models.set(dir, m);
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'utf8');
    const isTf = name.endsWith('.tf');
    const isVars = name.endsWith('.tfvars') || name.endsWith('.tfvars.example');
    const isLock = name === '.terraform.lock.hcl';
    if (!isTf && !isVars && !isLock) continue;
    stats.files++;
    let json;
    try {
      json = await hcl.parseFile(name, text);
    } catch (e) {
      finding(rel(file), 'HCL syntax error: ' + String(e.message || e).split('\n')[0]);
      m.broken = true;
      continue;
    }
    const f = { path: file, rel: rel(file), text, json };
    if (isVars) m.tfvars.push(f);
    else if (isLock) m.lock = f;
    else {
      m.files.push(f);
      index(m, f);
    }
  }
  return m;
}

function index(m, f) {
  const j = f.json;
  const one = (kind, target, name, body) => {
    if (target[name]) finding(where(f, kind, name), `duplicate ${kind} "${name}" (also in ${target[name].file.rel})`);
    target[name] = { name, body, file: f };
  };
  for (const [name, bodies] of Object.entries(j.variable || {})) one('variable', m.variables, name, bodies[0]);
  for (const [name, bodies] of Object.entries(j.output || {})) one('output', m.outputs, name, bodies[0]);
  for (const [name, bodies] of Object.entries(j.module || {})) one('module', m.modules, name, bodies[0]);
  for (const block of j.locals || []) for (const [name, value] of Object.entries(block)) one('local', m.locals, name, value);
  for (const kind of ['resource', 'data']) {
    for (const [type, byName] of Object.entries(j[kind] || {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        const target = kind === 'resource' ? m.resources : m.data;
        one(kind, target, `${type}.${name}`, bodies[0]);
        target[`${type}.${name}`].type = type;
        target[`${type}.${name}`].label = name;
      }
    }
  }
  for (const [name, bodies] of Object.entries(j.provider || {})) for (const body of bodies) m.providers.push({ name, body, file: f });
  for (const body of j.terraform || []) m.terraform.push({ body, file: f });
}

/** file:line of a block header (and of an argument inside it, when given). */
function where(f, kind, name, attr) {
  const lines = f.text.split('\n');
  let re;
  if (kind === 'resource' || kind === 'data') {
    const [type, label] = name.split('.');
    re = new RegExp(`^\\s*${kind}\\s+"${type}"\\s+"${label}"`);
  } else if (kind === 'local') re = new RegExp(`^\\s*${name}\\s*=`);
  else re = new RegExp(`^\\s*${kind}\\s+"${name}"`);
  let line = lines.findIndex(l => re.test(l));
  if (line >= 0 && attr) {
    const attrRe = new RegExp(`^\\s*${attr}\\s*(=|\\{)`);
    for (let i = line + 1; i < lines.length && !/^}/.test(lines[i]); i++) {
      if (attrRe.test(lines[i])) {
        line = i;
        break;
      }
    }
  }
  return `${f.rel}:${line + 1}`;
}

// ------------------------------------------------------------------ expressions

function astFor(value) {
  const entry = hcl.astOf(hcl.sourceOf(value));
  if (!entry) throw new E.Unsupported('expression not prepared: ' + value);
  if (entry.error) throw new E.Unsupported('expression does not parse: ' + entry.error.split('\n')[0]);
  return entry;
}

function typeSource(v) {
  if (typeof v !== 'string') return 'any';
  return hcl.wholeInterpolation(v) || v;
}

/** Walks every syntax-tree node of a JSON value (expressions only). */
function eachAst(value, visit) {
  if (hcl.isExpression(value)) {
    let entry;
    try {
      entry = astFor(value);
    } catch (e) {
      return;
    }
    visit(entry.ast, entry.source);
  } else if (Array.isArray(value)) value.forEach(v => eachAst(v, visit));
  else if (value && typeof value === 'object') Object.values(value).forEach(v => eachAst(v, visit));
}

// ------------------------------------------------------------------ 2. provider schema

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
function suggest(name, candidates) {
  let best = null;
  let score = Infinity;
  for (const c of candidates) {
    const s = levenshtein(name, c);
    if (s < score) {
      score = s;
      best = c;
    }
  }
  return best && score <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function checkBody(body, sch, loc, what, meta) {
  stats.blocks++;
  const names = [...Object.keys(sch.attributes), ...Object.keys(sch.blocks)];
  for (const [key, value] of Object.entries(body)) {
    if (meta && meta.has(key)) continue;
    if (key === 'dynamic' && meta) {
      for (const [blockName, dyns] of Object.entries(value)) {
        const target = sch.blocks[blockName];
        if (!target) {
          finding(loc(blockName), `${what}: dynamic "${blockName}": no such nested block${suggest(blockName, Object.keys(sch.blocks))}`);
          continue;
        }
        for (const d of [].concat(dyns)) {
          for (const k of Object.keys(d)) if (!['for_each', 'iterator', 'labels', 'content'].includes(k)) finding(loc(blockName), `${what}: dynamic "${blockName}": unsupported argument "${k}"`);
          if (!('for_each' in d)) finding(loc(blockName), `${what}: dynamic "${blockName}" needs for_each`);
          if (!d.content) finding(loc(blockName), `${what}: dynamic "${blockName}" needs a content block`);
          for (const c of [].concat(d.content || [])) checkBody(c, target.schema, loc, `${what}.${blockName}`, new Set(['dynamic']));
        }
      }
      continue;
    }
    if (sch.attributes[key]) continue;
    const block = sch.blocks[key];
    if (block) {
      if (!Array.isArray(value)) {
        finding(loc(key), `${what}: "${key}" is a nested block: write ${key} { ... }, not ${key} = ...`);
        continue;
      }
      if (!block.list && value.length > 1) finding(loc(key), `${what}: at most one "${key}" block is allowed, found ${value.length}`);
      for (const v of value) checkBody(v, block.schema, loc, `${what}.${key}`, new Set(['dynamic']));
      continue;
    }
    finding(loc(key), `${what}: unsupported argument "${key}"${suggest(key, names)}`);
  }
  const dynamicNames = new Set(Object.keys(body.dynamic || {}));
  for (const [name, a] of Object.entries(sch.attributes)) {
    if (a.required && !(name in body)) finding(loc(), `${what}: missing required argument "${name}"`);
  }
  for (const [name, b] of Object.entries(sch.blocks)) {
    if (b.required && !(name in body) && !dynamicNames.has(name)) finding(loc(), `${what}: missing required block "${name}"`);
  }
}

function checkLifecycle(body, sch, loc, what, kind) {
  for (const lc of [].concat(body.lifecycle || [])) {
    for (const key of Object.keys(lc)) {
      if (!LIFECYCLE_KEYS.has(key) || (kind === 'data' && !['precondition', 'postcondition'].includes(key))) {
        finding(loc('lifecycle'), `${what}: lifecycle: unsupported argument "${key}"`);
      }
    }
    for (const c of [].concat(lc.precondition || [], lc.postcondition || [])) {
      for (const k of ['condition', 'error_message']) if (!(k in c)) finding(loc('lifecycle'), `${what}: a condition block needs ${k}`);
    }
    if (lc.ignore_changes !== undefined && sch) {
      eachAst(lc.ignore_changes, ast => {
        walkAst(ast, n => {
          if (n.type === 'scopeTraversal') {
            const attr = n.meta.traversal[0].segment;
            if (attr !== 'all' && !sch.attributes[attr] && !sch.blocks[attr]) finding(loc('lifecycle'), `${what}: ignore_changes names "${attr}", which is not an argument of this resource`);
          }
        });
      });
    }
  }
}

function walkAst(node, visit) {
  if (!node) return;
  visit(node);
  (node.children || []).forEach(c => walkAst(c, visit));
}

function schemaChecks(m) {
  for (const kind of ['resource', 'data']) {
    for (const [addr, r] of Object.entries(kind === 'resource' ? m.resources : m.data)) {
      const what = `${kind === 'data' ? 'data.' : ''}${addr}`;
      const loc = attr => where(r.file, kind, addr, attr);
      if (!r.type.startsWith('aws_')) {
        if (!['random_password', 'random_id', 'random_string', 'random_uuid', 'random_integer', 'random_pet', 'random_shuffle', 'terraform_data', 'null_resource'].includes(r.type)) {
          finding(loc(), `${what}: no schema for provider of ${r.type} (only hashicorp/aws is checked)`);
        }
        checkLifecycle(r.body, null, loc, what, kind);
        continue;
      }
      const sch = schema.load(kind, r.type);
      if (!sch) {
        finding(loc(), `${what}: the AWS provider ${schema.providerVersion().provider} has no ${kind === 'data' ? 'data source' : 'resource type'} "${r.type}"${suggest(r.type, schema.knownTypes(kind))}`);
        continue;
      }
      if ('count' in r.body && 'for_each' in r.body) finding(loc('for_each'), `${what}: count and for_each cannot be used together`);
      checkBody(r.body, sch, loc, what, kind === 'resource' ? RESOURCE_META : DATA_META);
      checkLifecycle(r.body, sch, loc, what, kind);
    }
  }
  for (const p of m.providers) {
    if (p.name !== 'aws') continue;
    const sch = schema.load('provider', 'aws');
    checkBody(p.body, sch, attr => where(p.file, 'provider', 'aws', attr), 'provider "aws"', new Set(['alias', 'version']));
  }
  for (const [name, v] of Object.entries(m.variables)) {
    for (const key of Object.keys(v.body)) if (!VARIABLE_KEYS.has(key)) finding(where(v.file, 'variable', name), `variable "${name}": unsupported argument "${key}"`);
    for (const val of [].concat(v.body.validation || [])) {
      for (const k of ['condition', 'error_message']) if (!(k in val)) finding(where(v.file, 'variable', name), `variable "${name}": a validation block needs ${k}`);
    }
  }
  for (const [name, o] of Object.entries(m.outputs)) {
    for (const key of Object.keys(o.body)) if (!OUTPUT_KEYS.has(key)) finding(where(o.file, 'output', name), `output "${name}": unsupported argument "${key}"`);
    if (!('value' in o.body)) finding(where(o.file, 'output', name), `output "${name}": missing required argument "value"`);
  }
}

// ------------------------------------------------------------------ 3. module calls

function childDir(m, call) {
  const source = call.body.source;
  if (typeof source !== 'string' || !/^\.\.?\//.test(source)) return null;
  return path.resolve(m.dir, source);
}

async function moduleCallChecks(m) {
  for (const [name, call] of Object.entries(m.modules)) {
    const loc = attr => where(call.file, 'module', name, attr);
    const dir = childDir(m, call);
    if (!dir) {
      finding(loc('source'), `module "${name}": only local module sources are checked, source is ${JSON.stringify(call.body.source)}`);
      continue;
    }
    if (!fs.existsSync(dir)) {
      finding(loc('source'), `module "${name}": source ${call.body.source} does not exist`);
      continue;
    }
    const child = await loadModel(dir);
    for (const key of Object.keys(call.body)) {
      if (MODULE_META.has(key)) continue;
      if (!child.variables[key]) finding(loc(key), `module "${name}": unsupported argument "${key}": ${child.rel} declares no such variable${suggest(key, Object.keys(child.variables))}`);
    }
    for (const [vname, v] of Object.entries(child.variables)) {
      if (!('default' in v.body) && !(vname in call.body)) finding(loc(), `module "${name}": missing required argument "${vname}" (variable without default in ${v.file.rel})`);
    }
  }
}

// ------------------------------------------------------------------ 4. references

async function referenceChecks(m) {
  const check = (value, ctx, loc) => {
    eachAst(value, (ast, src) => visitRefs(ast, new Set(ctx.bound || []), ctx, loc));
  };
  const visitRefs = (node, bound, ctx, loc) => {
    if (!node) return;
    if (node.type === 'for') {
      const inner = new Set(bound);
      if (node.meta.keyVar) inner.add(node.meta.keyVar);
      inner.add(node.meta.valVar);
      visitRefs(node.children[0], bound, ctx, loc);
      node.children.slice(1).forEach(c => visitRefs(c, inner, ctx, loc));
      return;
    }
    if (node.type === 'scopeTraversal') {
      stats.references++;
      reference(node.meta.traversal, bound, ctx, loc, null);
      return;
    }
    if (node.type === 'splat' || node.type === 'relativeTraversal') {
      const base = node.children[0];
      const rest = node.type === 'splat' ? node.children[1].meta.traversal : node.meta.traversal;
      let b = base;
      if (b && b.type === 'index') b = b.children[0];
      if (b && b.type === 'scopeTraversal') {
        stats.references++;
        reference(b.meta.traversal, bound, ctx, loc, rest);
        if (base.type === 'index') visitRefs(base.children[1], bound, ctx, loc);
        return;
      }
    }
    (node.children || []).forEach(c => visitRefs(c, bound, ctx, loc));
  };
  // segs: the traversal; more: the traversal that follows an index or splat, if any.
  const reference = (segs, bound, ctx, loc, more) => {
    const root = segs[0].segment;
    const full = segs.map(s => (s.type === 'indexTraversal' ? `[${s.segment}]` : '.' + s.segment)).join('').slice(1);
    const names = [...segs.slice(1), ...(more || [])].filter(s => s.type === 'nameTraversal').map(s => s.segment);
    if (bound.has(root)) return;
    const bad = msg => finding(loc(), `${ctx.what}: ${msg}`);
    switch (root) {
      case 'var':
        if (!m.variables[names[0]]) bad(`reference to undeclared variable var.${names[0]}${suggest(names[0] || '', Object.keys(m.variables))}`);
        else if (ctx.validationOf && names[0] !== ctx.validationOf) bad(`the validation of var.${ctx.validationOf} refers to var.${names[0]}; Terraform before 1.9 allows only the variable itself (required_version is >= 1.6)`);
        return;
      case 'local':
        if (!m.locals[names[0]]) bad(`reference to undeclared local.${names[0]}${suggest(names[0] || '', Object.keys(m.locals))}`);
        return;
      case 'module': {
        const call = m.modules[names[0]];
        if (!call) return bad(`reference to undeclared module.${names[0]}`);
        const dir = childDir(m, call);
        const child = dir && models.get(dir);
        if (child && names[1] && !child.outputs[names[1]]) bad(`module.${names[0]} has no output "${names[1]}" (${child.rel})${suggest(names[1], Object.keys(child.outputs))}`);
        return;
      }
      case 'data': {
        const addr = `${names[0]}.${names[1]}`;
        const d = m.data[addr];
        if (!d) return bad(`reference to undeclared data.${addr}`);
        attribute('data', d.type, names[2], `data.${addr}`, bad);
        return;
      }
      case 'path':
        if (!['module', 'root', 'cwd'].includes(names[0])) bad(`unknown path.${names[0]}`);
        return;
      case 'terraform':
        if (names[0] !== 'workspace') bad(`unknown terraform.${names[0]}`);
        return;
      case 'each':
        if (!ctx.each) bad(`each.${names[0]} is only available in a block with for_each`);
        else if (!['key', 'value'].includes(names[0])) bad(`unknown each.${names[0]}`);
        return;
      case 'count':
        if (!ctx.count) bad('count.index is only available in a block with count');
        else if (names[0] !== 'index') bad(`unknown count.${names[0]}`);
        return;
      case 'self':
        if (!ctx.self) bad('self is only available in provisioners, connections and postconditions');
        return;
      default: {
        const addr = `${root}.${names[0]}`;
        const r = m.resources[addr];
        if (!r) return bad(`reference to undeclared ${/_/.test(root) ? 'resource ' + addr : root}${suggest(addr, Object.keys(m.resources))}`);
        attribute('resource', r.type, names[1], addr, bad);
      }
    }
  };
  const attribute = (kind, type, attr, addr, bad) => {
    if (!attr || !type.startsWith('aws_')) return;
    const deprecated = DEPRECATED[`${kind} ${type}.${attr}`];
    if (deprecated) bad(`${addr}.${attr} is deprecated: ${deprecated}`);
    const sch = schema.load(kind, type);
    if (sch && !sch.readable.has(attr)) bad(`${addr} has no attribute "${attr}"${suggest(attr, [...sch.readable])}`);
  };

  const blockCtx = (what, body, extra = {}) => Object.assign({ what, each: 'for_each' in body, count: 'count' in body }, extra);
  const walkBody = (body, ctx, loc) => {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'lifecycle') {
        for (const lc of [].concat(value)) {
          for (const [k, v] of Object.entries(lc)) {
            if (k === 'ignore_changes') continue;
            if (k === 'postcondition') walkBody({ c: v }, Object.assign({}, ctx, { self: true }), loc);
            else check(v, ctx, loc);
          }
        }
      } else if (key === 'dynamic') {
        for (const [blockName, dyns] of Object.entries(value)) {
          for (const d of [].concat(dyns)) {
            check(d.for_each, ctx, loc);
            const iterator = typeof d.iterator === 'string' ? hcl.wholeInterpolation(d.iterator) || d.iterator : blockName;
            const inner = Object.assign({}, ctx, { bound: [...(ctx.bound || []), iterator] });
            for (const c of [].concat(d.content || [])) walkBody(c, inner, loc);
          }
        }
      } else if (key === 'provisioner' || key === 'connection') {
        check(value, Object.assign({}, ctx, { self: true }), loc);
      } else check(value, ctx, loc);
    }
  };
  for (const [addr, r] of Object.entries(m.resources)) walkBody(r.body, blockCtx(addr, r.body), () => where(r.file, 'resource', addr));
  for (const [addr, d] of Object.entries(m.data)) walkBody(d.body, blockCtx('data.' + addr, d.body), () => where(d.file, 'data', addr));
  for (const [name, c] of Object.entries(m.modules)) walkBody(c.body, blockCtx('module.' + name, c.body), () => where(c.file, 'module', name));
  for (const [name, l] of Object.entries(m.locals)) check(l.body, { what: 'local.' + name }, () => where(l.file, 'local', name));
  for (const [name, o] of Object.entries(m.outputs)) walkBody(o.body, { what: `output "${name}"` }, () => where(o.file, 'output', name));
  for (const [name, v] of Object.entries(m.variables)) {
    for (const val of [].concat(v.body.validation || [])) check(val, { what: `variable "${name}"`, validationOf: name }, () => where(v.file, 'variable', name));
    if ('default' in v.body) check(v.body.default, { what: `variable "${name}" default` }, () => where(v.file, 'variable', name));
  }
  for (const p of m.providers) check(p.body, { what: `provider "${p.name}"` }, () => where(p.file, 'provider', p.name));
}

// ------------------------------------------------------------------ 5./6. evaluation

class Instance {
  constructor(model, addr, opts = {}) {
    stats.instances++;
    this.m = model;
    this.addr = addr; // "module.realty.module.network." or ""
    this.label = opts.label || model.rel;
    this.inputs = opts.inputs || {}; // name -> { get: () => value, provenance }
    this.tfvars = opts.tfvars || null; // { values, file }
    this.root = !!opts.root;
    this.depth = opts.depth || 0;
    this.cache = new Map();
    this.active = new Set();
    this.children = {}; // module name -> [Instance]
    this.provenance = {};
  }

  memo(key, fn) {
    if (this.cache.has(key)) return this.cache.get(key);
    if (this.active.has(key)) throw new E.TfError('cycle through ' + key);
    this.active.add(key);
    try {
      const v = fn();
      this.cache.set(key, v);
      return v;
    } finally {
      this.active.delete(key);
    }
  }

  scope(extra = {}) {
    return {
      locals: Object.assign({}, extra.locals || {}),
      lookup: (root, segs, full) => this.lookup(root, segs, full, extra),
    };
  }

  value(json, extra = {}) {
    if (hcl.isExpression(json)) {
      const { ast, source } = astFor(json);
      return E.evaluate(ast, this.scope(extra), source);
    }
    if (Array.isArray(json)) return json.map(v => this.value(v, extra));
    if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, this.value(v, extra)]));
    return json === undefined ? null : json;
  }

  lookup(root, segs, full, extra) {
    const name = segs[1] && segs[1].segment;
    switch (root) {
      case 'var':
        return { value: this.variable(name), consumed: 2 };
      case 'local':
        if (!this.m.locals[name]) throw new E.TfError('undeclared local.' + name);
        return { value: this.memo('local.' + name, () => this.value(this.m.locals[name].body)), consumed: 2 };
      case 'module':
        return { value: this.moduleValue(name), consumed: 2 };
      case 'data':
        return { value: this.collection('data', `${name}.${segs[2].segment}`), consumed: 3 };
      case 'path':
        return { value: { module: this.m.dir, root: this.rootDir || this.m.dir, cwd: this.rootDir || this.m.dir }, consumed: 1 };
      case 'terraform':
        return { value: { workspace: 'default' }, consumed: 1 };
      case 'each':
        if (!extra.each) throw new E.TfError('each outside for_each');
        return { value: extra.each, consumed: 1 };
      case 'count':
        if (!extra.count) throw new E.TfError('count outside count');
        return { value: extra.count, consumed: 1 };
      case 'self':
        return { value: new E.Opaque('self'), consumed: 1 };
      default:
        if (this.m.resources[`${root}.${name}`]) return { value: this.collection('resource', `${root}.${name}`), consumed: 2 };
        throw new E.TfError('unknown reference ' + full);
    }
  }

  variable(name) {
    return this.memo('var.' + name, () => {
      const decl = this.m.variables[name];
      if (!decl) throw new E.TfError('undeclared var.' + name);
      let v;
      if (this.inputs[name]) {
        v = this.inputs[name].get();
        this.provenance[name] = this.inputs[name].provenance;
        if (v === null && 'default' in decl.body && decl.body.nullable === false) v = this.value(decl.body.default);
      } else if (this.tfvars && name in this.tfvars.values) {
        v = this.value(this.tfvars.values[name]);
        this.provenance[name] = this.tfvars.file.rel;
      } else if ('default' in decl.body) {
        v = this.value(decl.body.default);
        this.provenance[name] = `default in ${where(decl.file, 'variable', name)}`;
      } else {
        v = new E.Opaque(`var.${name}, set by the caller`);
        this.provenance[name] = 'not set here';
      }
      return convert(v, typeSource(decl.body.type));
    });
  }

  /** A resource or data collection: an instance, a list (count) or a map (for_each). */
  collection(kind, addr) {
    return this.memo(kind + ' ' + addr, () => {
      const r = (kind === 'data' ? this.m.data : this.m.resources)[addr];
      if (!r) throw new E.TfError(`undeclared ${kind} ${addr}`);
      const label = `${this.addr}${kind === 'data' ? 'data.' : ''}${addr}`;
      return this.expand(r.body, label, (key, extra) => this.resourceInstance(kind, r, `${label}${key}`, extra));
    });
  }

  expand(body, label, make) {
    if ('count' in body) {
      const c = this.value(body.count);
      if (c instanceof E.Unknown || c instanceof E.Opaque) return c;
      const n = Number(c);
      return Array.from({ length: n }, (_, i) => make(`[${i}]`, { count: { index: i } }));
    }
    if ('for_each' in body) {
      const fe = this.value(body.for_each);
      if (E.hasUnknown(fe) && !(E.isObj(fe))) return new E.Unknown(E.unknownsIn(fe));
      if (fe instanceof E.Opaque) return fe;
      const entries = fe instanceof E.TfSet ? fe.items.map(x => [x, x]) : E.isObj(fe) ? Object.entries(fe) : null;
      if (!entries) throw new E.TfError('for_each of a ' + E.typeName(fe));
      return Object.fromEntries(entries.map(([k, v]) => [k, make(`[${JSON.stringify(k)}]`, { each: { key: k, value: v } })]));
    }
    return make('', {});
  }

  resourceInstance(kind, r, label, extra) {
    let configState;
    const configKnown = () => {
      if (configState === undefined) {
        configState = 'known';
        if (r.body.depends_on) configState = new E.Unknown([`${label} (depends_on defers the read to apply)`]);
        else {
          for (const [k, v] of Object.entries(r.body)) {
            if (DATA_META.has(k)) continue;
            let val;
            try {
              val = this.value(v, extra);
            } catch (e) {
              continue;
            }
            if (E.hasUnknown(val)) {
              configState = new E.Unknown([`${label} (read during apply: its arguments are known only after apply: ${E.unknownsIn(val)[0]})`]);
              break;
            }
          }
        }
      }
      return configState;
    };
    return new E.Lazy(label, attr => {
      if (attr in r.body && !RESOURCE_META.has(attr)) return this.value(r.body[attr], extra);
      if (kind === 'data') {
        const k = configKnown();
        return k === 'known' ? new E.Opaque(`${label}.${attr}, read at plan`) : k;
      }
      return new E.Unknown([`${label}.${attr}`]);
    });
  }

  moduleValue(name) {
    return this.memo('module.' + name, () => {
      const call = this.m.modules[name];
      if (!call) throw new E.TfError('undeclared module.' + name);
      const dir = childDir(this.m, call);
      const childModel = dir && models.get(dir);
      if (!childModel) return new E.Opaque('module.' + name);
      const label = `${this.addr}module.${name}`;
      const list = [];
      const made = this.expand(call.body, label, (key, extra) => {
        const inputs = {};
        for (const [arg, json] of Object.entries(call.body)) {
          if (MODULE_META.has(arg)) continue;
          inputs[arg] = {
            get: () => this.value(json, extra),
            provenance: this.argumentProvenance(call, name, arg, json),
          };
        }
        const child = new Instance(childModel, `${label}${key}.`, { inputs, label: `${this.label} > module.${name}${key}`, depth: this.depth + 1 });
        child.rootDir = this.rootDir || this.m.dir;
        child.rootLabel = this.rootLabel;
        list.push(child);
        return new E.Lazy(`${label}${key}`, out => {
          const o = childModel.outputs[out];
          if (!o) throw new E.TfError(`module.${name} has no output ${out}`);
          return child.memo('output.' + out, () => child.value(o.body.value));
        });
      });
      this.children[name] = list;
      return made;
    });
  }

  argumentProvenance(call, name, arg, json) {
    const at = where(call.file, 'module', name, arg);
    const src = hcl.isExpression(json) ? hcl.wholeInterpolation(json) : null;
    const viaVar = src && /^var\.(\w+)$/.exec(src.trim());
    if (viaVar) {
      try {
        this.variable(viaVar[1]);
      } catch (e) {
        // reported elsewhere
      }
      return `${at} (${arg} = ${src}) <- ${this.provenance[viaVar[1]] || '?'}`;
    }
    return `${at} (${arg} = ${src || E.show(json)})`;
  }
}

/** Enough of Terraform's type conversion for the checks: strings and numbers, lists and sets. */
function convert(v, type) {
  if (v === null || v instanceof E.Unknown || v instanceof E.Opaque) return v;
  const t = type.replace(/\s+/g, '');
  try {
    if (t === 'number' && typeof v === 'string' && v !== '' && !isNaN(Number(v))) return Number(v);
    if (t === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return String(v);
    if (t === 'bool' && (v === 'true' || v === 'false')) return v === 'true';
    if (/^set\(/.test(t) && Array.isArray(v)) return new E.TfSet(v);
    if (/^list\(/.test(t) && v instanceof E.TfSet) return v.items;
    const elem = /^map\((.*)\)$/.exec(t);
    if (elem && E.isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x, elem[1])]));
  } catch (e) {
    return v;
  }
  return v;
}

function describeError(e) {
  return String(e.message || e).split('\n')[0];
}

function checkInstance(inst, seen) {
  const m = inst.m;
  // 5. validations
  for (const [name, v] of Object.entries(m.variables)) {
    const validations = [].concat(v.body.validation || []);
    if (!validations.length) continue;
    let value;
    try {
      value = inst.variable(name);
    } catch (e) {
      if (e instanceof E.Unsupported) finding(where(v.file, 'variable', name), `variable "${name}" (${inst.label}): its value cannot be evaluated: ${describeError(e)}`);
      continue;
    }
    if (E.hasUnknown(value) || E.hasOpaque(value)) {
      stats.validationsUnknown += validations.length;
      continue;
    }
    for (const val of validations) {
      stats.validations++;
      let ok;
      try {
        ok = inst.value(val.condition);
      } catch (e) {
        const kind = e instanceof E.Unsupported ? 'cannot be evaluated by infra-check' : 'fails to evaluate';
        finding(where(v.file, 'variable', name), `validation of var.${name} ${kind}: ${describeError(e)} (value ${E.show(value)} from ${inst.provenance[name]})`, inst.label);
        continue;
      }
      if (ok instanceof E.Unknown || ok instanceof E.Opaque) {
        stats.validationsUnknown++;
        continue;
      }
      if (ok !== true) {
        const msg = typeof val.error_message === 'string' ? val.error_message : '';
        finding(where(v.file, 'variable', name), `var.${name} = ${E.show(value)} fails its validation (${msg}); value from ${inst.provenance[name]}`, inst.label);
      }
    }
  }
  if (inst.standalone) return;
  // 6. count and for_each known at plan
  const blocks = [
    ...Object.entries(m.resources).map(([a, r]) => ['resource', a, r]),
    ...Object.entries(m.data).map(([a, r]) => ['data', a, r]),
    ...Object.entries(m.modules).map(([a, r]) => ['module', a, r]),
  ];
  for (const [kind, addr, r] of blocks) {
    for (const meta of ['count', 'for_each']) {
      if (!(meta in r.body)) continue;
      stats.expansions++;
      const loc = where(r.file, kind, addr, meta);
      const label = `${kind === 'data' ? 'data.' : kind === 'module' ? 'module.' : ''}${addr}`;
      let v;
      try {
        v = inst.value(r.body[meta]);
      } catch (e) {
        finding(loc, `${label}: ${meta} ${e instanceof E.Unsupported ? 'cannot be evaluated by infra-check' : 'fails to evaluate'}: ${describeError(e)}`, inst.label);
        continue;
      }
      const unknown = meta === 'count' ? (v instanceof E.Unknown ? v.origins : []) : forEachUnknowns(v);
      if (unknown.length) {
        finding(loc, `${label}: ${meta} depends on values known only after apply, so the first plan fails ("Invalid ${meta} argument"): ${unknown.join(', ')}; use keys known at plan, e.g. a map with static keys`, inst.label);
      } else if (meta === 'for_each' && Array.isArray(v)) {
        finding(loc, `${label}: for_each needs a map or a set of strings, got a list`, inst.label);
      } else if (meta === 'count' && !(v instanceof E.Opaque) && (typeof v !== 'number' || v < 0 || !Number.isInteger(v))) {
        finding(loc, `${label}: count must be a whole number >= 0, is ${E.show(v)}`, inst.label);
      }
    }
  }
  // Arguments the provider would drop, evaluated for every instance of the resource.
  for (const [addr, r] of Object.entries(m.resources)) {
    for (const [key, rule] of Object.entries(DROPPED)) {
      const [type, attr] = key.split('.');
      if (r.type !== type || !(attr in r.body)) continue;
      let coll;
      try {
        coll = inst.collection('resource', addr);
      } catch (e) {
        continue;
      }
      const items = coll instanceof E.Lazy ? { '': coll } : E.isObj(coll) ? coll : Array.isArray(coll) ? Object.assign({}, coll) : {};
      for (const [k, instance] of Object.entries(items)) {
        let v;
        try {
          v = instance.get(attr);
        } catch (e) {
          continue;
        }
        if (rule.when(v)) finding(where(r.file, 'resource', addr, attr), `${addr}${k ? `[${JSON.stringify(k)}]` : ''}: ${attr} = ${E.show(v)} is dropped: ${rule.why}`, inst.label);
      }
    }
    // What each event source mapping deploys, for the comparison with template.yaml.
    if (r.type === 'aws_lambda_event_source_mapping' && inst.addr.startsWith('module.realty.') && /envs.dev$/.test(inst.rootLabel || '')) {
      let coll;
      try {
        coll = inst.collection('resource', addr);
      } catch (e) {
        continue;
      }
      if (!E.isObj(coll)) continue;
      for (const [k, instance] of Object.entries(coll)) {
        const get = a => {
          try {
            const v = instance.get(a);
            return v === 0 && DROPPED[`${r.type}.${a}`] ? null : v;
          } catch (e) {
            return '?';
          }
        };
        facts.push(`event_source_mapping queue=${k} batch_size=${E.show(get('batch_size'))} maximum_batching_window_in_seconds=${E.show(get('maximum_batching_window_in_seconds'))}`);
      }
    }
  }
  // Called modules, as many instances as they expand to.
  for (const name of Object.keys(m.modules)) {
    try {
      inst.moduleValue(name);
    } catch (e) {
      continue;
    }
    for (const child of inst.children[name] || []) {
      if (child.depth < 8) checkInstance(child, seen);
    }
  }
}

/** for_each may have unknown map values, never unknown keys or set elements. */
function forEachUnknowns(v) {
  if (v instanceof E.Unknown) return v.origins;
  if (v instanceof E.TfSet) return E.unknownsIn(v.items).length || v.items.some(x => x instanceof E.Unknown) ? E.unknownsIn(v.items) : [];
  if (Array.isArray(v)) return E.unknownsIn(v);
  return [];
}

// ------------------------------------------------------------------ 7. versions and lock files

function parseVersion(s) {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(s).trim());
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0), m[2] === undefined ? 1 : m[3] === undefined ? 2 : 3] : null;
}
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
/** Terraform version constraints: =, !=, >, >=, <, <=, ~> (pessimistic). */
function satisfies(version, constraints) {
  const v = parseVersion(version);
  return String(constraints).split(',').every(part => {
    const m = /^\s*(~>|>=|<=|!=|>|<|=)?\s*(\S+)\s*$/.exec(part);
    if (!m) return false;
    const c = parseVersion(m[2]);
    const op = m[1] || '=';
    switch (op) {
      case '=': return cmp(v, c) === 0;
      case '!=': return cmp(v, c) !== 0;
      case '>': return cmp(v, c) > 0;
      case '>=': return cmp(v, c) >= 0;
      case '<': return cmp(v, c) < 0;
      case '<=': return cmp(v, c) <= 0;
      case '~>': {
        if (cmp(v, c) < 0) return false;
        const fixed = c[3] === 3 ? 2 : 1; // ~> 6.25 fixes the major, ~> 6.25.0 the minor
        for (let i = 0; i < fixed; i++) if (v[i] !== c[i]) return false;
        return true;
      }
      default: return false;
    }
  });
}

function requiredProviders(m) {
  const out = {};
  for (const t of m.terraform) {
    for (const rp of [].concat(t.body.required_providers || [])) {
      for (const [local, spec] of Object.entries(rp)) {
        const source = typeof spec === 'object' ? spec.source : null;
        out[local] = { source: normalizeSource(source || 'hashicorp/' + local), version: typeof spec === 'object' ? spec.version : spec, file: t.file };
      }
    }
  }
  return out;
}
function normalizeSource(s) {
  return s.split('/').length === 2 ? 'registry.terraform.io/' + s : s;
}

function versionChecks(allModels, roots) {
  const pinned = schema.providerVersion().provider;
  for (const m of allModels) {
    const rp = requiredProviders(m);
    const usesAws = Object.keys(m.resources).some(a => a.startsWith('aws_')) || Object.keys(m.data).some(a => a.startsWith('aws_')) || m.providers.some(p => p.name === 'aws');
    if (usesAws && !rp.aws) finding(m.rel, 'uses the AWS provider without declaring it in required_providers');
    if (rp.aws && rp.aws.version && !satisfies(pinned, rp.aws.version)) {
      finding(rp.aws.file.rel, `aws provider constraint "${rp.aws.version}" does not admit ${pinned}, the provider version whose schema infra-check validates against (@cdktf/provider-aws ${schema.providerVersion().package})`);
    }
    const usesRandom = Object.keys(m.resources).some(a => a.startsWith('random_'));
    if (usesRandom && !rp.random) finding(m.rel, 'uses hashicorp/random without declaring it in required_providers');
  }
  for (const root of roots) {
    // Every provider the root's module tree requires, with all constraints.
    const wanted = {};
    const visit = (m, seen = new Set()) => {
      if (seen.has(m.dir)) return;
      seen.add(m.dir);
      for (const p of Object.values(requiredProviders(m))) {
        (wanted[p.source] = wanted[p.source] || []).push(p.version).toString();
      }
      for (const call of Object.values(m.modules)) {
        const d = childDir(m, call);
        if (d && models.get(d)) visit(models.get(d), seen);
      }
    };
    visit(root);
    const lockRel = `${root.rel}/.terraform.lock.hcl`;
    if (!root.lock) {
      finding(lockRel, 'missing: commit the dependency lock file of every root (terraform init writes it; terraform providers lock -platform=... adds hashes)');
      continue;
    }
    const locked = root.lock.json.provider || {};
    for (const [source, constraints] of Object.entries(wanted)) {
      const entry = locked[source] && locked[source][0];
      if (!entry) {
        finding(lockRel, `no entry for ${source}, which the configuration requires (${constraints.filter(Boolean).join(', ')})`);
        continue;
      }
      for (const c of constraints.filter(Boolean)) {
        if (!satisfies(entry.version, c)) finding(lockRel, `${source} ${entry.version} does not satisfy "${c}"`);
      }
      const hashes = [].concat(entry.hashes || []);
      if (!hashes.some(h => /^zh:[0-9a-f]{64}$/.test(h))) finding(lockRel, `${source}: no zh: (registry package) hashes`);
      if (!hashes.some(h => /^h1:[A-Za-z0-9+/]{43}=$/.test(h))) finding(lockRel, `${source}: no h1: (package content) hashes`);
      for (const h of hashes) if (!/^(zh:[0-9a-f]{64}|h1:[A-Za-z0-9+/]{43}=)$/.test(h)) finding(lockRel, `${source}: malformed hash ${h}`);
      if (source === 'registry.terraform.io/hashicorp/aws' && entry.version !== pinned) {
        finding(lockRel, `locks hashicorp/aws ${entry.version}, but infra-check validates against the ${pinned} schema: lock ${pinned} or move @cdktf/provider-aws to the release generated from ${entry.version}`);
      }
    }
    for (const source of Object.keys(locked)) if (!wanted[source]) finding(lockRel, `locks ${source}, which nothing in the configuration requires`);
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(__dirname, '..', '..', 'infra')];
  for (const d of dirs) {
    infra = path.resolve(d);
    repo = path.dirname(infra);
    findings = new Map();
    facts = [];
    models = new Map();
    stats = { files: 0, blocks: 0, references: 0, validations: 0, validationsUnknown: 0, expansions: 0, instances: 0 };
    if (dirs.length > 1) console.log('== CHECK ' + infra);
    await checkInfra();
  }
}

async function checkInfra() {
  if (!fs.existsSync(infra)) throw new Error('no such directory: ' + infra);
  const dirs = tfDirs(infra).filter(d => !d.includes(`${path.sep}.terraform`));
  for (const d of dirs) await loadModel(d);
  // Module calls may reach directories outside the scan (and their files must parse too).
  for (const m of [...models.values()]) {
    for (const call of Object.values(m.modules)) {
      const d = childDir(m, call);
      if (d && fs.existsSync(d)) await loadModel(d);
    }
  }
  const all = [...models.values()];
  // Parse every expression once, up front (the parser is asynchronous; evaluation is not).
  const sources = new Set();
  for (const m of all) {
    for (const f of [...m.files, ...m.tfvars]) hcl.collectExpressions(f.json, sources);
  }
  for (const s of sources) await hcl.prepare(s);
  for (const s of sources) {
    const entry = hcl.astOf(s);
    if (entry.error) {
      const m = all.find(x => x.files.some(f => f.text.includes(s.slice(0, 30))));
      finding(m ? m.rel : rel(infra), `expression does not parse: ${entry.error.split('\n')[0]}: ${s.slice(0, 80)}`);
    }
  }

  for (const m of all) {
    schemaChecks(m);
    await moduleCallChecks(m);
  }
  for (const m of all) await referenceChecks(m);

  const rootDirs = all.filter(m => m.terraform.some(t => t.body.backend !== undefined || t.body.cloud !== undefined) || m.lock || m.rel.includes(`infra${path.sep}envs${path.sep}`));
  for (const root of rootDirs) {
    for (const f of root.tfvars) {
      for (const key of Object.keys(f.json)) if (!root.variables[key]) finding(f.rel, `sets "${key}", which ${root.rel} does not declare`);
    }
    const variants = [null, ...root.tfvars.map(f => ({ values: f.json, file: f }))];
    for (const tfvars of variants) {
      const inst = new Instance(root, '', { root: true, tfvars, label: root.rel + (tfvars ? ` with ${path.basename(tfvars.file.rel)}` : '') });
      inst.rootDir = root.dir;
      inst.rootLabel = tfvars ? null : root.rel;
      checkInstance(inst);
    }
  }
  // Every module on its own, with its defaults: defaults must pass their own validations.
  for (const m of all) {
    if (rootDirs.includes(m)) continue;
    const inst = new Instance(m, '', { label: `${m.rel} (its defaults)` });
    inst.standalone = true;
    checkInstance(inst);
  }
  versionChecks(all, rootDirs);

  const lines = [...findings.entries()].map(([l, ctx]) => (ctx.length ? `${l} [in ${ctx.join('; ')}]` : l)).sort();
  for (const l of lines) console.log('FINDING ' + l);
  for (const f of [...new Set(facts)].sort()) console.log('FACT ' + f);
  const pv = schema.providerVersion();
  console.log(`SUMMARY terraform: ${lines.length} findings; ${stats.files} files parsed; ${stats.blocks} blocks checked against hashicorp/aws ${pv.provider} (@cdktf/provider-aws ${pv.package}); ` +
    `${stats.references} references; ${stats.validations} validations evaluated, ${stats.validationsUnknown} left to plan/apply (value known only then); ${stats.expansions} count/for_each evaluated; ${stats.instances} module instances`);
}

main().catch(e => {
  console.error('check-terraform failed: ' + (e.stack || e));
  process.exit(2);
});
