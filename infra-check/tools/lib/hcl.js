'use strict';
// HashiCorp's HCL parser (the Go hclsyntax package compiled to WebAssembly, npm @cdktf/hcl2json):
// whole files to JSON, and expressions to syntax trees. Expressions are parsed ahead of
// evaluation (the parser is asynchronous) and kept in a cache.
const hcl2json = require('@cdktf/hcl2json');

const asts = new Map();

/** The JSON form of a file: blocks as arrays of bodies, expressions as "${...}" strings. */
async function parseFile(name, text) {
  return hcl2json.parse(name, text);
}

/** True when a JSON string value holds an expression or a template. */
function isExpression(value) {
  return typeof value === 'string' && /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
}

/** Source text to hand to the parser for a JSON string value. */
function sourceOf(value) {
  const whole = wholeInterpolation(value);
  if (whole !== null) return whole;
  // A template with text around its interpolations: a heredoc keeps quotes and backslashes literal.
  return `<<EOT\n${value}\nEOT\n`;
}

/** "${expr}" alone (braces balanced, quotes respected) gives expr; anything else null. */
function wholeInterpolation(value) {
  if (!value.startsWith('${') || !value.endsWith('}')) return null;
  let depth = 0;
  let quote = false;
  for (let i = 1; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i === value.length - 1 ? value.slice(2, -1) : null;
    }
  }
  return null;
}

async function prepare(source) {
  if (asts.has(source)) return asts.get(source);
  let entry;
  try {
    entry = { ast: await hcl2json.getExpressionAst('expr.tf', source), source };
  } catch (e) {
    entry = { error: String(e.message || e), source };
  }
  asts.set(source, entry);
  return entry;
}

function astOf(source) {
  return asts.get(source);
}

/** Every expression string inside a JSON tree, for prepare(). */
function collectExpressions(node, out) {
  if (isExpression(node)) out.add(sourceOf(node));
  else if (Array.isArray(node)) node.forEach(n => collectExpressions(n, out));
  else if (node && typeof node === 'object') Object.values(node).forEach(n => collectExpressions(n, out));
  return out;
}

/** HCL string escapes of a literal template part. */
function unescape(raw) {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (m, c) => {
    switch (c[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '"': return '"';
      case '\\': return '\\';
      case 'u': case 'U': return String.fromCodePoint(parseInt(c.slice(1), 16));
      default: return m;
    }
  }).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

module.exports = { parseFile, isExpression, sourceOf, prepare, astOf, collectExpressions, unescape, wholeInterpolation };
