'use strict';
// An evaluator for the Terraform expression language, over the syntax trees of HashiCorp's parser
// (lib/hcl.js). It knows three kinds of value besides plain ones:
//   Unknown  - known only after apply (a computed resource attribute, or anything derived from one);
//              it remembers where it came from, so a finding can name the origin.
//   Opaque   - known at plan but not computed here (a data source result, a file hash, a required
//              variable the operator sets).
//   Lazy     - resource, data and module instances whose attributes are evaluated on access.
// Terraform errors (regex without match, bad index) throw TfError, which can() and try() catch.
// Anything this evaluator does not implement throws Unsupported, which nothing catches, so a
// check that cannot be evaluated is reported instead of passing silently.
const net = require('net');
const crypto = require('crypto');
const hcl = require('./hcl');

class Unknown {
  constructor(origins) {
    this.origins = [...new Set(origins)].slice(0, 6);
  }
  toString() {
    return '(known after apply)';
  }
}
class Opaque {
  constructor(why) {
    this.why = why;
  }
  toString() {
    return '(known at plan: ' + this.why + ')';
  }
}
class TfSet {
  constructor(items) {
    this.items = [];
    for (const i of items) if (!this.items.some(j => equal(i, j))) this.items.push(i);
  }
}
class Lazy {
  constructor(label, getter, keys) {
    this.label = label;
    this.getter = getter;
    this.keysFn = keys;
  }
  get(name) {
    return this.getter(name);
  }
}
class TfError extends Error {}
class Unsupported extends Error {}

const isUnknown = v => v instanceof Unknown;
const isOpaque = v => v instanceof Opaque;
const isObj = v => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof TfSet) && !(v instanceof Unknown) && !(v instanceof Opaque) && !(v instanceof Lazy);

/** Origins of every Unknown inside a value (empty when wholly known). */
function unknownsIn(v, out = [], depth = 0) {
  if (depth > 20) return out;
  if (v instanceof Unknown) out.push(...v.origins);
  else if (Array.isArray(v)) v.forEach(x => unknownsIn(x, out, depth + 1));
  else if (v instanceof TfSet) v.items.forEach(x => unknownsIn(x, out, depth + 1));
  else if (isObj(v)) Object.values(v).forEach(x => unknownsIn(x, out, depth + 1));
  return out;
}
function hasUnknown(v) {
  return unknownsIn(v).length > 0 || containsBareUnknown(v);
}
function containsBareUnknown(v, depth = 0) {
  if (v instanceof Unknown) return true;
  if (depth > 20) return false;
  if (Array.isArray(v)) return v.some(x => containsBareUnknown(x, depth + 1));
  if (v instanceof TfSet) return v.items.some(x => containsBareUnknown(x, depth + 1));
  if (isObj(v)) return Object.values(v).some(x => containsBareUnknown(x, depth + 1));
  return false;
}
function hasOpaque(v, depth = 0) {
  if (v instanceof Opaque) return true;
  if (depth > 20) return false;
  if (Array.isArray(v)) return v.some(x => hasOpaque(x, depth + 1));
  if (v instanceof TfSet) return v.items.some(x => hasOpaque(x, depth + 1));
  if (isObj(v)) return Object.values(v).some(x => hasOpaque(x, depth + 1));
  return false;
}
/** The first Unknown or Opaque among the arguments, to propagate. */
function pending(...vals) {
  const u = vals.flatMap(v => (v instanceof Unknown ? v.origins : []));
  if (vals.some(v => v instanceof Unknown)) return new Unknown(u);
  const o = vals.find(v => v instanceof Opaque);
  return o || null;
}
function deepPending(...vals) {
  const u = vals.flatMap(v => unknownsIn(v));
  if (vals.some(v => containsBareUnknown(v))) return new Unknown(u);
  const o = vals.find(v => hasOpaque(v));
  return o ? new Opaque('derived') : null;
}

function equal(a, b) {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a instanceof TfSet && b instanceof TfSet) return a.items.length === b.items.length && a.items.every(x => b.items.some(y => equal(x, y)));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every(k => equal(a[k], b[k]));
  }
  return false;
}

function show(v, depth = 0) {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Unknown || v instanceof Opaque) return String(v);
  if (v instanceof Lazy) return v.label;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (depth > 3) return '…';
  if (Array.isArray(v)) return '[' + v.map(x => show(x, depth + 1)).join(', ') + ']';
  if (v instanceof TfSet) return 'toset([' + v.items.map(x => show(x, depth + 1)).join(', ') + '])';
  return '{ ' + Object.entries(v).map(([k, x]) => `${k} = ${show(x, depth + 1)}`).join(', ') + ' }';
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof TfSet) return 'set';
  if (isObj(v)) return 'map';
  return typeof v;
}

function toStr(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) throw new TfError('null value in string context');
  throw new TfError('cannot convert ' + typeName(v) + ' to string');
}
function toNum(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
  throw new TfError('cannot convert ' + show(v) + ' to number');
}
function toBool(v) {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new TfError('cannot convert ' + show(v) + ' to bool');
}
function toList(v) {
  if (Array.isArray(v)) return v;
  if (v instanceof TfSet) return v.items;
  if (isObj(v)) return Object.values(v);
  throw new TfError('a list is required, got ' + typeName(v));
}
function literalKey(seg) {
  if (/^".*"$/.test(seg)) return JSON.parse(seg);
  if (/^-?\d+$/.test(seg)) return Number(seg);
  return seg;
}

/** Terraform's index and attribute access. */
function access(v, key, label) {
  if (v instanceof Unknown) return v;
  if (v instanceof Opaque) return v;
  if (v instanceof Lazy) return v.get(key);
  if (v === null || v === undefined) throw new TfError(`cannot access "${key}" on a null value (${label})`);
  if (Array.isArray(v)) {
    const i = typeof key === 'number' ? key : toNum(key);
    if (i < 0 || i >= v.length) throw new TfError(`index ${i} out of range for a list of ${v.length} (${label})`);
    return v[i];
  }
  if (v instanceof TfSet) throw new TfError('elements of a set cannot be accessed by index (' + label + ')');
  if (isObj(v)) {
    const k = String(key);
    if (!(k in v)) throw new TfError(`no attribute or key "${k}" (${label})`);
    return v[k];
  }
  throw new TfError(`cannot access "${key}" on a ${typeName(v)} (${label})`);
}

/**
 * Evaluates a syntax tree. scope: { lookup(rootName, node) -> value | undefined, locals: {name: value} }
 * where locals are for-expression variables (and each/count/iterators added by the caller).
 */
function evaluate(node, scope, src) {
  const ev = (n, s = scope) => evaluate(n, s, src);
  const text = n => (src && n && n.range ? src.slice(n.range.start.byte, n.range.end.byte) : '');
  switch (node.type) {
    case 'literalValue': {
      const { type, value } = node.meta;
      if (type === 'number') return Number(value);
      if (type === 'bool') return value === 'true';
      if (type === 'dynamic' && value === 'null') return null;
      if (type === 'string') return hcl.unescape(value);
      throw new Unsupported('literal of type ' + type);
    }
    case 'templateWrap':
      return ev(node.children[0]);
    case 'template': {
      const heredoc = String(node.meta.value || '').startsWith('<<');
      const parts = (node.children || []).map((c, i, all) => {
        if (c.type === 'literalValue' && c.meta.type === 'string') {
          let s = heredoc ? c.meta.value : hcl.unescape(c.meta.value);
          if (heredoc && i === all.length - 1) s = s.replace(/\n$/, '');
          return s;
        }
        return ev(c);
      });
      const p = pending(...parts);
      if (p) return p;
      return parts.map(toStr).join('');
    }
    case 'tuple':
      return (node.children || []).map(c => ev(c));
    case 'object': {
      const out = {};
      const ch = node.children || [];
      for (let i = 0; i + 1 < ch.length; i += 2) {
        const k = ch[i];
        let key;
        if (k.type === '' && !(k.children && k.children.length)) key = text(k);
        else if (k.type === '' && k.children && k.children.length === 1 && k.children[0].type === 'scopeTraversal' && k.children[0].meta.traversal.length === 1) key = k.children[0].meta.fullAccessor;
        else key = ev(k.type === '' ? k.children[0] : k);
        if (key instanceof Unknown) return key;
        if (!key && key !== 0) throw new Unsupported('object key ' + JSON.stringify(text(k) || k.type));
        out[toStr(key)] = ev(ch[i + 1]);
      }
      return out;
    }
    case '':
      if (node.children && node.children.length === 1) return ev(node.children[0]);
      throw new Unsupported('empty expression node');
    case 'scopeTraversal': {
      const segs = node.meta.traversal;
      const root = segs[0].segment;
      let r;
      if (scope.locals && Object.prototype.hasOwnProperty.call(scope.locals, root)) r = { value: scope.locals[root], consumed: 1 };
      else r = scope.lookup(root, segs, node.meta.fullAccessor);
      let v = r.value;
      for (let i = r.consumed; i < segs.length; i++) {
        v = access(v, segs[i].type === 'indexTraversal' ? literalKey(segs[i].segment) : segs[i].segment, node.meta.fullAccessor);
      }
      return v;
    }
    case 'relativeTraversal': {
      let v = ev(node.children[0]);
      for (const s of node.meta.traversal) {
        v = access(v, s.type === 'indexTraversal' ? literalKey(s.segment) : s.segment, node.meta.value);
      }
      return v;
    }
    case 'index': {
      const coll = ev(node.children[0]);
      const key = ev(node.children[1]);
      const p = pending(key);
      if (p && !(coll instanceof Unknown)) return p instanceof Unknown ? p : new Opaque('index');
      return access(coll, key, node.meta.value);
    }
    case 'splat': {
      const source = ev(node.children[0]);
      if (source instanceof Unknown || source instanceof Opaque) return source;
      const items = source === null ? [] : Array.isArray(source) ? source : source instanceof TfSet ? source.items : [source];
      const rel = node.children[1];
      return items.map(item => {
        let v = item;
        for (const s of rel.meta.traversal) v = access(v, s.type === 'indexTraversal' ? literalKey(s.segment) : s.segment, node.meta.value);
        return v;
      });
    }
    case 'conditional': {
      const c = ev(node.children[0]);
      if (c instanceof Unknown) return c;
      if (c instanceof Opaque) return new Opaque('condition');
      return toBool(c) ? ev(node.children[1]) : ev(node.children[2]);
    }
    case 'unaryOp': {
      const v = ev(node.children[0]);
      const p = pending(v);
      if (p) return p;
      if (node.meta.operator === 'logicalNot') return !toBool(v);
      if (node.meta.operator === 'negate') return -toNum(v);
      throw new Unsupported('unary operator ' + node.meta.operator);
    }
    case 'binaryOp': {
      const op = node.meta.operator;
      const a = ev(node.children[0]);
      const b = ev(node.children[1]);
      if (op === 'logicalAnd' && (a === false || b === false)) return false;
      if (op === 'logicalOr' && (a === true || b === true)) return true;
      if (op === 'equal' || op === 'notEqual') {
        const p = deepPending(a, b);
        if (p) return p;
        return op === 'equal' ? equal(a, b) : !equal(a, b);
      }
      const p = pending(a, b);
      if (p) return p;
      switch (op) {
        case 'logicalAnd': return toBool(a) && toBool(b);
        case 'logicalOr': return toBool(a) || toBool(b);
        case 'greaterThan': return toNum(a) > toNum(b);
        case 'greaterThanOrEqual': return toNum(a) >= toNum(b);
        case 'lessThan': return toNum(a) < toNum(b);
        case 'lessThanOrEqual': return toNum(a) <= toNum(b);
        case 'add': return toNum(a) + toNum(b);
        case 'subtract': return toNum(a) - toNum(b);
        case 'multiply': return toNum(a) * toNum(b);
        case 'divide': return toNum(a) / toNum(b);
        case 'modulo': return toNum(a) % toNum(b);
        default: throw new Unsupported('operator ' + op);
      }
    }
    case 'for': {
      const m = node.meta;
      const ch = node.children;
      let i = 1;
      const keyNode = m.keyExpression ? ch[i++] : null;
      const valueNode = ch[i++];
      const condNode = m.conditionalExpression ? ch[i++] : null;
      if (m.groupedValue) throw new Unsupported('grouped for expression');
      const coll = ev(ch[0]);
      if (coll instanceof Unknown || coll instanceof Opaque) return coll;
      let entries;
      if (Array.isArray(coll)) entries = coll.map((v, k) => [k, v]);
      else if (coll instanceof TfSet) entries = coll.items.map(v => [v, v]);
      else if (isObj(coll)) entries = Object.keys(coll).sort().map(k => [k, coll[k]]);
      else throw new TfError('cannot iterate over ' + typeName(coll));
      const objectResult = m.keyExpression !== undefined || m.openRangeValue === '{';
      const out = objectResult ? {} : [];
      for (const [k, v] of entries) {
        const locals = Object.assign({}, scope.locals);
        if (m.keyVar) locals[m.keyVar] = k;
        locals[m.valVar] = v;
        const s = Object.assign({}, scope, { locals });
        if (condNode) {
          const c = ev(condNode, s);
          if (c instanceof Unknown) return c;
          if (c instanceof Opaque) return new Opaque('for condition');
          if (!toBool(c)) continue;
        }
        if (objectResult) {
          const key = ev(keyNode, s);
          if (key instanceof Unknown) return key;
          if (key instanceof Opaque) return new Opaque('for key');
          out[toStr(key)] = ev(valueNode, s);
        } else out.push(ev(valueNode, s));
      }
      return out;
    }
    case 'function':
      return callFunction(node, scope, src);
    default:
      throw new Unsupported('expression type ' + node.type);
  }
}

function ipv4(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m || !net.isIPv4(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`) || Number(m[5]) > 32) throw new TfError('invalid CIDR address ' + JSON.stringify(cidr));
  const base = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
  const bits = Number(m[5]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (base & mask) >>> 0, bits };
}
const ipStr = n => [24, 16, 8, 0].map(s => (n >>> s) & 255).join('.');

const FILE_FUNCTIONS = new Set(['file', 'filebase64', 'filebase64sha256', 'filesha256', 'filemd5', 'filesha1', 'filesha512', 'fileexists', 'fileset', 'templatefile', 'abspath', 'pathexpand']);

function callFunction(node, scope, src) {
  const name = node.meta.name;
  const argNodes = node.children || [];
  const ev = n => evaluate(n, scope, src);
  if (name === 'can' || name === 'try') {
    for (const n of argNodes) {
      try {
        const v = ev(n);
        if (name === 'can') return v instanceof Unknown ? v : v instanceof Opaque ? new Opaque('can') : true;
        return v;
      } catch (e) {
        if (!(e instanceof TfError)) throw e;
        if (name === 'can') return false;
      }
    }
    if (name === 'try') throw new TfError('no try() argument could be evaluated');
  }
  let args = argNodes.map(ev);
  if (node.meta.expandedFinalArgument && args.length) {
    const last = args.pop();
    if (last instanceof Unknown || last instanceof Opaque) return last;
    args = args.concat(toList(last));
  }
  if (FILE_FUNCTIONS.has(name)) return new Opaque(name + '()');
  if (name === 'timestamp' || name === 'uuid' || name === 'bcrypt') return new Unknown([name + '()']);
  const fn = FUNCTIONS[name];
  if (!fn) throw new Unsupported('function ' + name + '()');
  // Functions that look inside collections get partial values; the rest wait for known arguments.
  if (!PARTIAL.has(name)) {
    const p = deepPending(...args);
    if (p) return p;
  } else {
    const p = pending(...args);
    if (p) return p;
  }
  return fn(...args);
}

const PARTIAL = new Set(['length', 'keys', 'merge', 'concat', 'flatten', 'tolist', 'toset', 'tomap', 'lookup', 'one', 'values', 'element', 'slice', 'compact', 'coalesce', 'contains', 'jsonencode', 'zipmap', 'setunion', 'distinct']);

function regexOf(pattern) {
  // RE2 and JavaScript agree on the patterns used here; (?P<name>) is RE2's named group.
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    throw new TfError('invalid regular expression ' + JSON.stringify(pattern));
  }
}

const FUNCTIONS = {
  alltrue: l => toList(l).every(x => toBool(x)),
  anytrue: l => toList(l).some(x => toBool(x)),
  contains: (l, v) => {
    const items = toList(l);
    if (items.some(x => equal(x, v))) return true;
    const p = deepPending(items, v);
    return p || false;
  },
  length: v => {
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (v instanceof TfSet) {
      if (v.items.some(containsBareUnknown)) return new Unknown(unknownsIn(v));
      return v.items.length;
    }
    if (isObj(v)) return Object.keys(v).length;
    throw new TfError('length() of ' + typeName(v));
  },
  regex: (p, s) => {
    const m = regexOf(toStr(p)).exec(toStr(s));
    if (!m) throw new TfError('pattern did not match');
    if (m.groups) return Object.assign({}, m.groups);
    return m.length > 1 ? m.slice(1).map(x => (x === undefined ? null : x)) : m[0];
  },
  regexall: (p, s) => {
    const re = new RegExp(regexOf(toStr(p)).source, 'g');
    return [...toStr(s).matchAll(re)].map(m => (m.length > 1 ? m.slice(1) : m[0]));
  },
  startswith: (s, p) => toStr(s).startsWith(toStr(p)),
  endswith: (s, p) => toStr(s).endsWith(toStr(p)),
  strcontains: (s, p) => toStr(s).includes(toStr(p)),
  lower: s => toStr(s).toLowerCase(),
  upper: s => toStr(s).toUpperCase(),
  trimspace: s => toStr(s).trim(),
  split: (sep, s) => toStr(s).split(toStr(sep)),
  join: (sep, l) => toList(l).map(toStr).join(toStr(sep)),
  replace: (s, a, b) => {
    const from = toStr(a);
    if (/^\/.*\/$/.test(from)) return toStr(s).replace(new RegExp(from.slice(1, -1), 'g'), toStr(b));
    return toStr(s).split(from).join(toStr(b));
  },
  substr: (s, off, len) => {
    const chars = [...toStr(s)];
    const o = toNum(off);
    const n = toNum(len);
    return chars.slice(o, n < 0 ? undefined : o + n).join('');
  },
  format: (f, ...a) => {
    let i = 0;
    return toStr(f).replace(/%(%|[-+ 0#]*\d*(?:\.\d+)?[sdvfqt])/g, (m, spec) => {
      if (spec === '%') return '%';
      const v = a[i++];
      if (/d$/.test(spec)) return String(Math.trunc(toNum(v)));
      if (/q$/.test(spec)) return JSON.stringify(toStr(v));
      if (/v$/.test(spec)) return typeof v === 'string' ? v : show(v);
      return toStr(v);
    });
  },
  tostring: v => (v === null ? null : toStr(v)),
  tonumber: v => (v === null ? null : toNum(v)),
  tobool: v => (v === null ? null : toBool(v)),
  tolist: v => toList(v),
  toset: v => new TfSet(toList(v).map(x => (typeof x === 'number' || typeof x === 'boolean' ? String(x) : x))),
  tomap: v => {
    if (!isObj(v)) throw new TfError('tomap() of ' + typeName(v));
    return v;
  },
  keys: m => {
    if (!isObj(m)) throw new TfError('keys() of ' + typeName(m));
    return Object.keys(m).sort();
  },
  values: m => {
    if (!isObj(m)) throw new TfError('values() of ' + typeName(m));
    return Object.keys(m).sort().map(k => m[k]);
  },
  lookup: (m, k, d) => {
    if (!isObj(m)) throw new TfError('lookup() of ' + typeName(m));
    const key = toStr(k);
    if (key in m) return m[key];
    if (d === undefined) throw new TfError('lookup(): no key ' + JSON.stringify(key));
    return d;
  },
  merge: (...ms) => {
    const out = {};
    for (const m of ms) {
      if (m === null) continue;
      if (m instanceof Unknown) return m;
      if (!isObj(m)) throw new TfError('merge() of ' + typeName(m));
      Object.assign(out, m);
    }
    return out;
  },
  concat: (...ls) => ls.flatMap(l => {
    if (l instanceof Unknown) throw new UnknownSignal(l);
    return toList(l);
  }),
  flatten: l => {
    const out = [];
    const walk = x => {
      if (Array.isArray(x) || x instanceof TfSet) toList(x).forEach(walk);
      else if (x instanceof Unknown) throw new UnknownSignal(x);
      else out.push(x);
    };
    toList(l).forEach(walk);
    return out;
  },
  one: l => {
    const items = toList(l);
    if (items.length > 1) throw new TfError('one() of a list with ' + items.length + ' elements');
    return items.length ? items[0] : null;
  },
  coalesce: (...vs) => {
    for (const v of vs) {
      if (v instanceof Unknown) return v;
      if (v !== null && v !== '') return v;
    }
    throw new TfError('coalesce(): no non-null argument');
  },
  compact: l => toList(l).filter(x => x !== null && x !== ''),
  distinct: l => new TfSet(toList(l)).items,
  element: (l, i) => {
    const items = toList(l);
    return items[toNum(i) % items.length];
  },
  slice: (l, a, b) => {
    const items = toList(l);
    const s = toNum(a), e = toNum(b);
    if (s < 0 || e > items.length || s > e) throw new TfError(`slice(): indices ${s}..${e} out of range for ${items.length} elements`);
    return items.slice(s, e);
  },
  range: (...a) => {
    const n = a.map(toNum);
    const [start, end, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] || 1];
    const out = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  min: (...a) => Math.min(...a.map(toNum)),
  max: (...a) => Math.max(...a.map(toNum)),
  abs: n => Math.abs(toNum(n)),
  floor: n => Math.floor(toNum(n)),
  ceil: n => Math.ceil(toNum(n)),
  sort: l => toList(l).map(toStr).sort(),
  zipmap: (k, v) => {
    const ks = toList(k), vs = toList(v);
    const out = {};
    ks.forEach((x, i) => (out[toStr(x)] = vs[i]));
    return out;
  },
  setunion: (...ss) => new TfSet(ss.flatMap(toList)),
  jsonencode: v => {
    const p = deepPending(v);
    if (p) return p;
    return JSON.stringify(plain(v));
  },
  jsondecode: s => {
    try {
      return JSON.parse(toStr(s));
    } catch (e) {
      throw new TfError('jsondecode(): invalid JSON');
    }
  },
  base64encode: s => Buffer.from(toStr(s)).toString('base64'),
  sha256: s => crypto.createHash('sha256').update(toStr(s)).digest('hex'),
  md5: s => crypto.createHash('md5').update(toStr(s)).digest('hex'),
  cidrhost: (prefix, n) => {
    const { network, bits } = ipv4(toStr(prefix));
    const host = toNum(n);
    const size = 2 ** (32 - bits);
    if (host >= size || host < -size) throw new TfError('cidrhost(): host number out of range');
    return ipStr((network + (host < 0 ? size + host : host)) >>> 0);
  },
  cidrsubnet: (prefix, newbits, num) => {
    const { network, bits } = ipv4(toStr(prefix));
    const nb = bits + toNum(newbits);
    if (nb > 32) throw new TfError('cidrsubnet(): not enough bits');
    const n = toNum(num);
    if (n >= 2 ** toNum(newbits)) throw new TfError('cidrsubnet(): network number out of range');
    return ipStr((network + n * 2 ** (32 - nb)) >>> 0) + '/' + nb;
  },
};

class UnknownSignal extends Error {
  constructor(u) {
    super('unknown');
    this.unknown = u;
  }
}
for (const name of ['concat', 'flatten']) {
  const f = FUNCTIONS[name];
  FUNCTIONS[name] = (...a) => {
    try {
      return f(...a);
    } catch (e) {
      if (e instanceof UnknownSignal) return e.unknown;
      throw e;
    }
  };
}

function plain(v) {
  if (v instanceof TfSet) return v.items.map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

module.exports = {
  Unknown, Opaque, TfSet, Lazy, TfError, Unsupported,
  evaluate, isUnknown, isOpaque, isObj, unknownsIn, hasUnknown: v => containsBareUnknown(v), hasOpaque, show, typeName, equal, toBool,
};
