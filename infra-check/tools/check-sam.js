#!/usr/bin/env node
'use strict';
// Checks template.yaml against the AWS SAM and CloudFormation resource specifications that AWS CDK
// ships in @aws-cdk/aws-service-spec (db.json.gz), without the SAM CLI (run by infra-check's
// SamCheckTest; usage: node check-sam.js <template.yaml>):
//
//  - template sections, parameters (types, defaults against AllowedPattern / AllowedValues /
//    MinValue / MaxValue), conditions, and every !Ref, !GetAtt, !Sub, !If against what exists;
//  - every resource's properties against its type in the specification, nested property types
//    included: unknown property -> finding, missing required property -> finding;
//  - AWS::Serverless::Function: Globals, Events (type and properties, MQ events included:
//    Broker, Queues, SourceAccessConfigurations, BatchSize, MaximumBatchingWindowInSeconds),
//    Policies (statements, policy templates, Fn::If around them), the HttpApi route, and
//    SnapStart with AutoPublishAlias.
//
// The SAM part of that specification predates some SAM features. Those are added here from the
// CloudFormation specification of the resource SAM generates (SAM passes them through), each with
// the SAM source or documentation that says so; see SAM_PASS_THROUGH and EVENT_TYPES below.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const YAML = require('yaml');

const SPEC_PKG = path.join(__dirname, 'node_modules', '@aws-cdk', 'aws-service-spec');
let findings = new Set();
let stats;
const finding = (where, msg) => findings.add(`${where}: ${msg}`);

// ------------------------------------------------------------------ the specification

const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(SPEC_PKG, 'db.json.gz'))).toString('utf8'));
const specVersion = JSON.parse(fs.readFileSync(path.join(SPEC_PKG, 'package.json'), 'utf8')).version;
const resourceTypes = new Map(db.schema.resource.entities.map(e => [e.cloudFormationType, e]));
const typeDefs = new Map(db.schema.typeDefinition.entities.map(e => [e.$id, e]));

function resourceSpec(type) {
  return resourceTypes.get(type) || null;
}
/** The property-type definitions a spec type refers to (a union may refer to several). */
function refsOf(t, out = []) {
  if (!t) return out;
  if (t.type === 'ref') out.push(typeDefs.get(t.reference.$ref));
  else if (t.type === 'union') t.types.forEach(x => refsOf(x, out));
  else if (t.type === 'array' || t.type === 'map') refsOf(t.element, out);
  return out.filter(Boolean);
}
function defOf(resourceType, propPath) {
  let props = resourceSpec(resourceType).properties;
  let t;
  for (const p of propPath) {
    t = props[p];
    if (!t) return null;
    const d = refsOf(t.type)[0];
    props = d ? d.properties : null;
  }
  return t;
}

// SAM properties missing from the specification above, with where they come from. Pass-through
// ones take their type from AWS::Lambda::Function (SAM copies them onto it:
// samtranslator/model/sam_resources.py, SamFunction.property_types and _construct_lambda_function).
const SAM_PASS_THROUGH = {
  'AWS::Serverless::Function': {
    SnapStart: { lambda: 'SnapStart' },
    RuntimeManagementConfig: { lambda: 'RuntimeManagementConfig' },
    LoggingConfig: { lambda: 'LoggingConfig' },
    RecursiveLoop: { lambda: 'RecursiveLoop' },
    AutoPublishAliasAllProperties: { primitive: 'boolean' },
    VersionDeletionPolicy: { primitive: 'string', values: ['Delete', 'Retain'] },
    SourceKMSKeyArn: { primitive: 'string' },
  },
};

// Event source types: the specification's own, and those it lacks, built from the CloudFormation
// resource SAM generates for them (SAM documentation, "EventSource" / "MQ" / "ScheduleV2").
const SPEC_EVENT_NAMES = {
  S3: 'S3Event', SNS: 'SNSEvent', SQS: 'SQSEvent', Kinesis: 'KinesisEvent', DynamoDB: 'DynamoDBEvent', Api: 'ApiEvent',
  Schedule: 'ScheduleEvent', CloudWatchEvent: 'CloudWatchEventEvent', CloudWatchLogs: 'CloudWatchLogsEvent', IoTRule: 'IoTRuleEvent',
  AlexaSkill: 'AlexaSkillEvent', EventBridgeRule: 'EventBridgeRuleEvent', HttpApi: 'HttpApiEvent', Cognito: 'CognitoEvent',
};
const EVENT_TYPES = (() => {
  const fnEvents = refsOf(defOf('AWS::Serverless::Function', ['Events', 'Properties']) && defOf('AWS::Serverless::Function', ['Events', 'Properties']).type);
  const byName = new Map(fnEvents.map(d => [d.name, d]));
  const types = {};
  for (const [type, name] of Object.entries(SPEC_EVENT_NAMES)) {
    const d = byName.get(name);
    if (d) types[type] = { properties: d.properties, source: `@aws-cdk/aws-service-spec ${name}` };
  }
  const esm = resourceSpec('AWS::Lambda::EventSourceMapping').properties;
  const pick = (props, names, rename = {}) => Object.fromEntries(names.map(n => [rename[n] || n, props[n]]).filter(([, v]) => v));
  // MQ -> AWS::Lambda::EventSourceMapping (samtranslator/model/eventsources/pull.py, class MQ:
  // Broker is the EventSourceArn; DynamicPolicyName and SecretsManagerKmsKeyId are SAM's own).
  types.MQ = {
    properties: Object.assign(
      pick(esm, ['EventSourceArn', 'Queues', 'SourceAccessConfigurations', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'Enabled', 'FilterCriteria', 'KmsKeyArn', 'MetricsConfig'], { EventSourceArn: 'Broker' }),
      { DynamicPolicyName: { type: { type: 'boolean' } }, SecretsManagerKmsKeyId: { type: { type: 'string' } } },
    ),
    required: ['Broker', 'Queues', 'SourceAccessConfigurations'],
    source: 'AWS::Lambda::EventSourceMapping (SAM MQ event)',
  };
  // ScheduleV2 -> AWS::Scheduler::Schedule (samtranslator/model/eventsources/scheduler.py).
  const sched = resourceSpec('AWS::Scheduler::Schedule').properties;
  const target = refsOf(sched.Target.type)[0].properties;
  types.ScheduleV2 = {
    properties: Object.assign(
      pick(sched, ['ScheduleExpression', 'ScheduleExpressionTimezone', 'StartDate', 'EndDate', 'FlexibleTimeWindow', 'State', 'Description', 'GroupName', 'KmsKeyArn', 'Name']),
      pick(target, ['Input', 'RetryPolicy', 'DeadLetterConfig']),
      { RoleArn: { type: { type: 'string' } }, PermissionsBoundary: { type: { type: 'string' } }, OmitName: { type: { type: 'boolean' } } },
    ),
    required: ['ScheduleExpression'],
    source: 'AWS::Scheduler::Schedule (SAM ScheduleV2 event)',
  };
  return types;
})();

// Properties SAM lets Globals.Function set (samtranslator/plugins/globals/globals.py).
const GLOBAL_FUNCTION_PROPERTIES = new Set(['Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout',
  'VpcConfig', 'Environment', 'Tags', 'PropagateTags', 'Tracing', 'KmsKeyArn', 'Layers', 'AutoPublishAlias', 'AutoPublishAliasAllProperties',
  'DeploymentPreference', 'PermissionsBoundary', 'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument',
  'EventInvokeConfig', 'FileSystemConfigs', 'CodeSigningConfigArn', 'Architectures', 'SnapStart', 'EphemeralStorage', 'FunctionUrlConfig',
  'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn']);

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);
const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Transform', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Globals', 'Resources', 'Outputs', 'Rules']);

// ------------------------------------------------------------------ the template

const TAGS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];
const customTags = TAGS.flatMap(name => ['scalar', 'seq', 'map'].map(kind => ({
  tag: '!' + name,
  collection: kind === 'scalar' ? undefined : kind,
  resolve(value) {
    const v = value && value.toJSON ? value.toJSON() : value;
    if (name === 'Ref') return { Ref: v };
    if (name === 'Condition') return { Condition: v };
    if (name === 'GetAtt' && typeof v === 'string') return { 'Fn::GetAtt': v.split('.') };
    return { ['Fn::' + name]: v };
  },
})));

let templatePath;
let text;
let t;
let rel;
let lines;
let params;
let conditions;
let resources;

function load(file) {
  templatePath = path.resolve(file);
  text = fs.readFileSync(templatePath, 'utf8');
  const doc = YAML.parseDocument(text, { customTags, uniqueKeys: true });
  for (const e of doc.errors) finding(path.basename(templatePath), 'YAML: ' + e.message.split('\n')[0]);
  t = doc.toJS({ maxAliasCount: 100 }) || {};
  rel = path.basename(templatePath);
  lines = text.split('\n');
  params = t.Parameters || {};
  conditions = t.Conditions || {};
  resources = t.Resources || {};
}
function at(...keys) {
  // Line of the last key of a path (best effort: the first match after the previous key's line).
  let line = 0;
  for (const k of keys) {
    const re = new RegExp(`^\\s*(- )?${String(k).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`);
    const i = lines.findIndex((l, n) => n >= line && re.test(l));
    if (i >= 0) line = i;
  }
  return `${rel}:${line + 1}`;
}

const isIntrinsic = v => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && (/^Fn::/.test(Object.keys(v)[0]) || Object.keys(v)[0] === 'Ref' || Object.keys(v)[0] === 'Condition');

// ------------------------------------------------------------------ checks

function checkSections() {
  for (const k of Object.keys(t)) if (!SECTIONS.has(k)) finding(at(k), `unknown template section "${k}"`);
  if (t.Transform !== 'AWS::Serverless-2016-10-31' && !(Array.isArray(t.Transform) && t.Transform.includes('AWS::Serverless-2016-10-31'))) {
    finding(rel, 'Transform must include AWS::Serverless-2016-10-31');
  }
}

function checkParameters() {
  const keys = new Set(['Type', 'Default', 'AllowedValues', 'AllowedPattern', 'Description', 'MinValue', 'MaxValue', 'MinLength', 'MaxLength', 'NoEcho', 'ConstraintDescription']);
  for (const [name, p] of Object.entries(params)) {
    for (const k of Object.keys(p)) if (!keys.has(k)) finding(at('Parameters', name, k), `parameter ${name}: unknown attribute "${k}"`);
    if (!/^(String|Number|CommaDelimitedList|List<Number>|List<String>|AWS::.+|List<AWS::.+>)$/.test(p.Type || '')) finding(at('Parameters', name), `parameter ${name}: invalid Type ${p.Type}`);
    if (!('Default' in p)) continue;
    const values = p.Type === 'CommaDelimitedList' ? String(p.Default).split(',') : [p.Default];
    for (const v of values) {
      if (p.AllowedPattern && !(p.Type === 'CommaDelimitedList' && v === '') && !new RegExp(`^(?:${p.AllowedPattern})$`).test(String(v))) {
        finding(at('Parameters', name, 'Default'), `parameter ${name}: Default ${JSON.stringify(v)} does not match AllowedPattern ${p.AllowedPattern}`);
      }
    }
    if (p.AllowedValues && !p.AllowedValues.map(String).includes(String(p.Default))) finding(at('Parameters', name, 'Default'), `parameter ${name}: Default is not one of AllowedValues`);
    if (p.Type === 'Number') {
      const n = Number(p.Default);
      if (isNaN(n)) finding(at('Parameters', name), `parameter ${name}: Default is not a number`);
      if ('MinValue' in p && n < p.MinValue) finding(at('Parameters', name), `parameter ${name}: Default below MinValue`);
      if ('MaxValue' in p && n > p.MaxValue) finding(at('Parameters', name), `parameter ${name}: Default above MaxValue`);
    }
  }
}

/** Every intrinsic function in a value: references must exist. */
function checkIntrinsics(value, where, ctx = {}) {
  if (Array.isArray(value)) return value.forEach(v => checkIntrinsics(v, where, ctx));
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && typeof v === 'string') {
      stats.references++;
      if (!params[v] && !resources[v] && !PSEUDO.has(v)) finding(where, `!Ref ${v}: no such parameter, resource or pseudo parameter`);
    } else if (k === 'Fn::GetAtt') {
      stats.references++;
      const target = Array.isArray(v) ? v[0] : String(v).split('.')[0];
      if (!resources[target]) finding(where, `!GetAtt ${target}: no such resource`);
    } else if (k === 'Fn::If' || k === 'Condition') {
      const c = k === 'Condition' ? v : Array.isArray(v) ? v[0] : null;
      if (k === 'Fn::If' && (!Array.isArray(v) || v.length !== 3)) finding(where, '!If takes [condition, value if true, value if false]');
      if (typeof c === 'string' && !conditions[c]) finding(where, `condition ${c} is not declared`);
    } else if (k === 'Fn::Sub') {
      const s = Array.isArray(v) ? v[0] : v;
      const vars = Array.isArray(v) && v[1] ? v[1] : {};
      for (const m of String(s).matchAll(/\$\{([^!}][^}]*)\}/g)) {
        stats.references++;
        const name = m[1].trim();
        const head = name.split('.')[0];
        if (!vars[name] && !params[name] && !resources[head] && !PSEUDO.has(name)) finding(where, `!Sub \${${name}}: nothing of that name`);
      }
    }
    checkIntrinsics(v, where, ctx);
  }
}

function checkConditions() {
  for (const [name, c] of Object.entries(conditions)) {
    if (!isIntrinsic(c)) finding(at('Conditions', name), `condition ${name} must be an intrinsic function`);
    checkIntrinsics(c, at('Conditions', name));
  }
}

/** A value against a spec type (primitive, list, map, or a property type with properties). */
function checkValue(value, type, where, label) {
  stats.properties++;
  if (value === null || value === undefined || !type) return;
  if (isIntrinsic(value)) {
    const [k, v] = Object.entries(value)[0];
    // Fn::If: both branches must fit the type (AWS::NoValue removes the property).
    if (k === 'Fn::If' && Array.isArray(v)) v.slice(1).forEach(b => checkValue(b, type, where, label));
    return;
  }
  switch (type.type) {
    case 'string':
      if (typeof value === 'object') finding(where, `${label}: expected a string, got ${Array.isArray(value) ? 'a list' : 'an object'}`);
      return;
    case 'number': case 'integer':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value)))) finding(where, `${label}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') finding(where, `${label}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'json': case 'tag': case 'date-time': case 'null':
      return;
    case 'array':
      if (!Array.isArray(value)) {
        // CloudFormation accepts a single value where a list of primitives is expected only via intrinsics.
        if (typeof value === 'object') finding(where, `${label}: expected a list`);
        return;
      }
      value.forEach((v, i) => checkValue(v, type.element, where, `${label}[${i}]`));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return finding(where, `${label}: expected a map`);
      Object.entries(value).forEach(([k, v]) => checkValue(v, type.element, where, `${label}.${k}`));
      return;
    case 'ref':
      return checkObject(value, typeDefs.get(type.reference.$ref), where, label);
    case 'union': {
      // Accept the value if one member fits without findings.
      const before = findings.size;
      const fits = type.types.some(member => {
        const saved = new Set(findings);
        checkValue(value, member, where, label);
        const ok = findings.size === saved.size;
        findings.clear();
        saved.forEach(f => findings.add(f));
        return ok;
      });
      if (!fits && findings.size === before) {
        // Report against the object member, where the detail is.
        const obj = type.types.find(m => m.type === 'ref' && typeof value === 'object' && !Array.isArray(value)) || type.types.find(m => m.type === 'array' && Array.isArray(value));
        if (obj) checkValue(value, obj, where, label);
        else finding(where, `${label}: ${JSON.stringify(value).slice(0, 60)} fits none of the allowed types`);
      }
      return;
    }
    default:
  }
}

function checkObject(value, def, where, label, extra = {}, required = null) {
  if (!def) return;
  if (typeof value !== 'object' || Array.isArray(value)) return finding(where, `${label}: expected an object`);
  const props = Object.assign({}, def.properties, extra);
  for (const [k, v] of Object.entries(value)) {
    if (!props[k]) {
      finding(where, `${label}: unknown property "${k}"${suggest(k, Object.keys(props))}`);
      continue;
    }
    checkValue(v, props[k].type, where, `${label}.${k}`);
  }
  for (const [k, p] of Object.entries(props)) {
    if ((required ? required.includes(k) : p.required) && !(k in value)) finding(where, `${label}: missing required property "${k}"`);
  }
}

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}
function suggest(name, candidates) {
  const best = candidates.map(c => [c, levenshtein(name.toLowerCase(), c.toLowerCase())]).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best[0]}"?)` : '';
}

/** Extra (pass-through) properties of a SAM resource, typed from the resource SAM generates. */
function passThrough(type) {
  const extra = {};
  const lambda = resourceSpec('AWS::Lambda::Function').properties;
  for (const [name, how] of Object.entries(SAM_PASS_THROUGH[type] || {})) {
    if (how.lambda) {
      if (lambda[how.lambda]) extra[name] = lambda[how.lambda];
    } else extra[name] = { type: { type: how.primitive } };
  }
  return extra;
}

function checkPolicies(policies, where, label) {
  const list = Array.isArray(policies) ? policies : [policies];
  const templates = (() => {
    const d = refsOf(defOf('AWS::Serverless::Function', ['Policies']).type).find(x => x.name === 'SAMPolicyTemplate');
    return d ? d.properties : {};
  })();
  const one = (p, l) => {
    if (p && typeof p === 'object' && p['Fn::If']) {
      const v = p['Fn::If'];
      if (Array.isArray(v)) v.slice(1).forEach((b, i) => one(b, `${l}.If[${i + 1}]`));
      return;
    }
    if (p && typeof p === 'object' && p.Ref === 'AWS::NoValue') return;
    if (typeof p === 'string' || isIntrinsic(p)) return; // a managed policy name or ARN
    if (p && p.Statement !== undefined) {
      for (const k of Object.keys(p)) if (!['Statement', 'Version'].includes(k)) finding(where, `${l}: unknown policy document key "${k}"`);
      const statements = Array.isArray(p.Statement) ? p.Statement : [p.Statement];
      statements.forEach((s, i) => {
        const sl = `${l}.Statement[${i}]`;
        for (const k of Object.keys(s)) if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) finding(where, `${sl}: unknown statement key "${k}"`);
        if (!['Allow', 'Deny'].includes(s.Effect)) finding(where, `${sl}: Effect must be Allow or Deny`);
        if (!s.Action && !s.NotAction) finding(where, `${sl}: needs Action`);
        if (!s.Resource && !s.NotResource) finding(where, `${sl}: needs Resource`);
        for (const a of [].concat(s.Action || [])) if (typeof a === 'string' && !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a)) finding(where, `${sl}: malformed action ${a}`);
      });
      return;
    }
    if (p && typeof p === 'object' && Object.keys(p).length === 1 && templates[Object.keys(p)[0]]) return;
    finding(where, `${l}: neither a managed policy, a policy document, nor a SAM policy template${p && typeof p === 'object' ? suggest(Object.keys(p)[0], Object.keys(templates)) : ''}`);
  };
  list.forEach((p, i) => one(p, `${label}[${i}]`));
}

function merged(fn) {
  // Function properties with Globals.Function applied (maps merge, everything else is overridden).
  const g = (t.Globals && t.Globals.Function) || {};
  const out = Object.assign({}, g, fn);
  for (const k of ['Environment']) {
    if (g[k] && fn[k]) out[k] = { Variables: Object.assign({}, g[k].Variables, fn[k].Variables) };
  }
  return out;
}

function checkFunction(id, props) {
  const where = (...k) => at('Resources', id, ...k);
  const f = merged(props);
  // Events
  for (const [eid, e] of Object.entries(props.Events || {})) {
    stats.events++;
    const ew = where('Events', eid);
    const et = EVENT_TYPES[e.Type];
    if (!et) {
      finding(ew, `${id}.Events.${eid}: unknown event type ${e.Type}${suggest(String(e.Type), Object.keys(EVENT_TYPES))}`);
      continue;
    }
    for (const k of Object.keys(e)) if (!['Type', 'Properties'].includes(k)) finding(ew, `${id}.Events.${eid}: unknown key "${k}"`);
    checkObject(e.Properties || {}, { properties: et.properties }, ew, `${id}.Events.${eid}.Properties`, {}, et.required || Object.keys(et.properties).filter(k => et.properties[k].required));
    const p = e.Properties || {};
    if (e.Type === 'MQ') {
      const queues = p.Queues;
      if (Array.isArray(queues) && queues.length !== 1) finding(ew, `${id}.Events.${eid}: Lambda consumes exactly one queue per Amazon MQ event source, got ${queues.length}`);
      if (typeof p.BatchSize === 'number' && (p.BatchSize < 1 || p.BatchSize > 10000)) finding(ew, `${id}.Events.${eid}: BatchSize ${p.BatchSize} outside 1-10000`);
      if (typeof p.MaximumBatchingWindowInSeconds === 'number' && (p.MaximumBatchingWindowInSeconds < 0 || p.MaximumBatchingWindowInSeconds > 300)) finding(ew, `${id}.Events.${eid}: MaximumBatchingWindowInSeconds outside 0-300`);
      const types = [].concat(p.SourceAccessConfigurations || []).map(c => c && c.Type);
      if (!types.includes('BASIC_AUTH')) finding(ew, `${id}.Events.${eid}: an Amazon MQ for RabbitMQ event source needs a BASIC_AUTH SourceAccessConfiguration (the broker secret)`);
      for (const ty of types) if (!['BASIC_AUTH', 'VIRTUAL_HOST'].includes(ty)) finding(ew, `${id}.Events.${eid}: SourceAccessConfiguration type ${ty} does not apply to Amazon MQ for RabbitMQ`);
    }
    if (e.Type === 'HttpApi') {
      const pathValue = p.Path;
      if (pathValue !== undefined && pathValue !== '$default') {
        if (!String(pathValue).startsWith('/')) finding(ew, `${id}.Events.${eid}: Path must start with / or be $default`);
        else finding(ew, `${id}.Events.${eid}: Path ${pathValue} routes only matching requests (${pathValue === '/{proxy+}' ? 'not "/"' : 'one path'}); Terraform (modules/api) routes $default, i.e. everything: leave Path and Method out (SAM then adds the $default route) or use Path: $default`);
      }
      if (p.ApiId && p.ApiId.Ref && !(resources[p.ApiId.Ref] && resources[p.ApiId.Ref].Type === 'AWS::Serverless::HttpApi')) finding(ew, `${id}.Events.${eid}: ApiId must name an AWS::Serverless::HttpApi`);
    }
  }
  // Policies
  if (props.Policies !== undefined) checkPolicies(props.Policies, where('Policies'), `${id}.Policies`);
  // SnapStart with AutoPublishAlias
  const snap = f.SnapStart;
  if (snap && snap.ApplyOn === 'PublishedVersions') {
    if (!f.AutoPublishAlias) finding(where('SnapStart'), `${id}: SnapStart applies to published versions only; without AutoPublishAlias SAM publishes none and every event invokes $LATEST, which never restores from a snapshot`);
    if (f.ProvisionedConcurrencyConfig) finding(where('SnapStart'), `${id}: SnapStart does not support provisioned concurrency`);
    if (f.FileSystemConfigs) finding(where('SnapStart'), `${id}: SnapStart does not support Amazon EFS`);
    if (f.EphemeralStorage && Number(f.EphemeralStorage.Size) > 512) finding(where('SnapStart'), `${id}: SnapStart does not support ephemeral storage above 512 MB`);
    if (typeof f.Runtime === 'string' && !/^(java(11|17|21|25)|python3\.(1[2-9])|dotnet8)/.test(f.Runtime)) finding(where('SnapStart'), `${id}: runtime ${f.Runtime} does not support SnapStart`);
  }
  if (f.AutoPublishAlias && props.Events) {
    // SAM points every event at the alias when AutoPublishAlias is set; nothing to check but that it is a name.
    if (typeof f.AutoPublishAlias === 'string' && !/^[a-zA-Z0-9-_]+$/.test(f.AutoPublishAlias)) finding(where(), `${id}: AutoPublishAlias ${f.AutoPublishAlias} is not a valid alias name`);
  }
}

function checkResources() {
  for (const [id, r] of Object.entries(resources)) {
    stats.resources++;
    const where = at('Resources', id);
    for (const k of Object.keys(r)) if (!['Type', 'Properties', 'Condition', 'DependsOn', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'IgnoreGlobals'].includes(k)) finding(where, `${id}: unknown resource attribute "${k}"`);
    if (r.Condition && !conditions[r.Condition]) finding(where, `${id}: condition ${r.Condition} is not declared`);
    checkIntrinsics(r.Properties || {}, where);
    const spec = resourceSpec(r.Type);
    if (!spec) {
      finding(where, `${id}: unknown resource type ${r.Type}${suggest(String(r.Type), [...resourceTypes.keys()].filter(x => x.startsWith('AWS::Serverless::')))}`);
      continue;
    }
    const extra = passThrough(r.Type);
    // Required properties may come from Globals.
    const props = r.Type === 'AWS::Serverless::Function' ? merged(r.Properties || {}) : r.Properties || {};
    // A function's Events are checked by checkFunction, event type by event type.
    const own = Object.assign({}, r.Properties || {});
    if (r.Type === 'AWS::Serverless::Function') delete own.Events;
    checkObject(own, { properties: Object.assign({}, spec.properties, extra) }, where, id);
    for (const [k, p] of Object.entries(spec.properties)) if (p.required && !(k in props)) finding(where, `${id}: missing required property "${k}"`);
    if (r.Type === 'AWS::Serverless::Function') {
      if (!props.CodeUri && !props.InlineCode && !props.ImageUri) finding(where, `${id}: needs CodeUri, InlineCode or ImageUri`);
      if (!props.ImageUri && (!props.Handler || !props.Runtime)) finding(where, `${id}: a zip function needs Handler and Runtime`);
      checkFunction(id, r.Properties || {});
    }
  }
}

function checkGlobals() {
  const g = t.Globals || {};
  for (const section of Object.keys(g)) if (!['Function', 'Api', 'HttpApi', 'SimpleTable', 'StateMachine', 'LayerVersion', 'CapacityProvider'].includes(section)) finding(at('Globals', section), `Globals: unknown section ${section}`);
  const fn = g.Function || {};
  const spec = resourceSpec('AWS::Serverless::Function');
  const extra = passThrough('AWS::Serverless::Function');
  for (const [k, v] of Object.entries(fn)) {
    if (!GLOBAL_FUNCTION_PROPERTIES.has(k)) {
      finding(at('Globals', 'Function', k), `Globals.Function: ${k} cannot be set globally${spec.properties[k] || extra[k] ? '' : suggest(k, [...GLOBAL_FUNCTION_PROPERTIES])}`);
      continue;
    }
    const p = spec.properties[k] || extra[k];
    if (p) checkValue(v, p.type, at('Globals', 'Function', k), `Globals.Function.${k}`);
  }
  checkIntrinsics(g, at('Globals'));
}

function checkOutputs() {
  for (const [name, o] of Object.entries(t.Outputs || {})) {
    if (!('Value' in o)) finding(at('Outputs', name), `output ${name} needs a Value`);
    checkIntrinsics(o, at('Outputs', name));
  }
}

const files = process.argv.slice(2).length ? process.argv.slice(2) : [path.join(__dirname, '..', '..', 'template.yaml')];
for (const file of files) {
  findings = new Set();
  stats = { resources: 0, properties: 0, references: 0, events: 0 };
  if (files.length > 1) console.log('== CHECK ' + path.resolve(file));
  load(file);
  checkSections();
  checkParameters();
  checkConditions();
  checkGlobals();
  checkResources();
  checkOutputs();
  const out = [...findings].sort();
  for (const f of out) console.log('FINDING ' + f);
  console.log(`SUMMARY sam: ${out.length} findings; ${stats.resources} resources, ${stats.events} events, ${stats.properties} property values and ${stats.references} references checked against @aws-cdk/aws-service-spec ${specVersion} (SAM and CloudFormation resource specifications)`);
}
