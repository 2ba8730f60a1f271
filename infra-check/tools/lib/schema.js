'use strict';
// The AWS provider schema, read from @cdktf/provider-aws, which is generated from the provider's
// own schema (package.json "cdktf.provider.version" names the hashicorp/aws release).
//
// Each lib/<name>/index.d.ts has one config interface (`...Config extends
// cdktf.TerraformMetaArguments`) listing every argument the resource accepts: optional ones end
// in `?`, required ones do not, and each carries a JSDoc link to the registry page whose anchor is
// the argument's Terraform (snake_case) name. Nested blocks are properties whose type is another
// interface of the same file (`readonly vpcConfig?: LambdaFunctionVpcConfig`), a list when `[]`.
// Computed-only attributes appear only as getters of the resource class (`get arn(): string`).
const fs = require('fs');
const path = require('path');

const PKG = path.join(__dirname, '..', 'node_modules', '@cdktf', 'provider-aws');
const LIB = path.join(PKG, 'lib');

function providerVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  return { package: pkg.version, provider: pkg.cdktf && pkg.cdktf.provider && pkg.cdktf.provider.version };
}

const PRIMITIVE = /^(string|number|boolean|any|cdktf\.IResolvable|\{[\s\S]*\}|string\[\]|number\[\]|boolean\[\])$/;

function camelToSnake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function parseInterfaces(text) {
  const interfaces = {};
  const re = /export interface (\w+)(?: extends ([\w.]+))? \{\n([\s\S]*?)\n\}/g;
  let m;
  while ((m = re.exec(text))) {
    const props = [];
    const propRe = /\/\*\*([\s\S]*?)\*\/\s*readonly (\w+)(\?)?: ([^;]+);/g;
    let p;
    while ((p = propRe.exec(m[3]))) {
      const doc = p[1];
      const link = /#(\w+) \w+#\w+\}/.exec(doc) || /#(\w+)\}/.exec(doc);
      props.push({ camel: p[2], snake: link ? link[1] : camelToSnake(p[2]), optional: !!p[3], type: p[4].trim(), doc });
    }
    interfaces[m[1]] = { name: m[1], extendsMeta: m[2] === 'cdktf.TerraformMetaArguments', props };
  }
  return interfaces;
}

function blockOf(iface, interfaces, depth = 0) {
  const attributes = {};
  const blocks = {};
  for (const p of iface.props) {
    const base = p.type.replace(/\s*\|\s*cdktf\.IResolvable/g, '').replace(/\[\]$/, '').trim();
    if (interfaces[base] && depth < 12) {
      blocks[p.snake] = {
        required: !p.optional,
        list: /\[\]/.test(p.type),
        schema: blockOf(interfaces[base], interfaces, depth + 1),
      };
    } else {
      attributes[p.snake] = { required: !p.optional, type: p.type };
    }
  }
  return { attributes, blocks };
}

const cache = new Map();
let libDirs;

/** kind: "resource" | "data" | "provider"; type: aws_lambda_function. null when unknown. */
function load(kind, type) {
  const key = kind + ' ' + type;
  if (cache.has(key)) return cache.get(key);
  let dir;
  if (kind === 'provider') dir = 'provider';
  else {
    const bare = type.replace(/^aws_/, '').replace(/_/g, '-');
    dir = kind === 'data' ? 'data-aws-' + bare : bare;
  }
  const dts = path.join(LIB, dir, 'index.d.ts');
  let result = null;
  if (fs.existsSync(dts)) {
    const text = fs.readFileSync(dts, 'utf8');
    let confirmed = kind === 'provider';
    if (!confirmed) {
      const js = fs.readFileSync(path.join(LIB, dir, 'index.js'), 'utf8');
      confirmed = js.includes(`tfResourceType = "${type}"`);
    }
    if (confirmed) {
      const interfaces = parseInterfaces(text);
      const config = Object.values(interfaces).find(i => kind === 'provider' ? i.name === 'AwsProviderConfig' : i.extendsMeta);
      if (config) {
        result = blockOf(config, interfaces);
        // Everything an expression may read: arguments plus computed attributes (class getters).
        const cls = /export declare class \w+ extends cdktf\.(?:TerraformResource|TerraformDataSource|TerraformProvider) \{([\s\S]*?)\n\}/.exec(text);
        const readable = new Set(['id', ...Object.keys(result.attributes), ...Object.keys(result.blocks)]);
        if (cls) {
          const g = /\bget (\w+)\(\)/g;
          let m;
          while ((m = g.exec(cls[1]))) {
            if (!/Input$/.test(m[1])) readable.add(camelToSnake(m[1]));
          }
        }
        result.readable = readable;
        result.source = path.relative(path.join(__dirname, '..'), dts);
      }
    }
  }
  cache.set(key, result);
  return result;
}

function knownTypes(kind) {
  if (!libDirs) libDirs = fs.readdirSync(LIB);
  return libDirs
    .filter(d => (kind === 'data' ? d.startsWith('data-aws-') : !d.startsWith('data-') && d !== 'provider'))
    .map(d => 'aws_' + d.replace(/^data-aws-/, '').replace(/-/g, '_'));
}

module.exports = { load, knownTypes, providerVersion, camelToSnake, PKG };
