'use strict';
// Evaluates state machine fields ("{% <JSONata> %}") as Step Functions does: the jsonata package at the version
// Step Functions runs (package.json), $states bound to what the caller gives, and Step Functions' own $hash and
// $parse. One request per line on stdin, {"field": "{% ... %}", "states": {...}}; one answer per line on stdout, in
// order: {"value": <the field's value>} or {"error": "<why it has none>"}. The Java tests keep one process for the
// whole run (StepFunctionsJsonata.java), so Node starts once, not once per expression.
const crypto = require('node:crypto');
const readline = require('node:readline');
const jsonata = require('jsonata');

// Step Functions' $hash(value, algorithm): the hex digest of the string's UTF-8 bytes.
const ALGORITHMS = { 'MD5': 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function hash(value, algorithm) {
  if (!Object.hasOwn(ALGORITHMS, algorithm)) {
    throw { message: `$hash: the algorithm must be one of ${Object.keys(ALGORITHMS).join(', ')}` };
  }
  return crypto.createHash(ALGORITHMS[algorithm]).update(value, 'utf8').digest('hex');
}

// Step Functions' $parse(jsonText): the value the JSON text describes.
function parse(text) {
  return JSON.parse(text);
}

async function evaluate(field, states) {
  const match = /^\{%([\s\S]*)%\}$/.exec(field);
  if (match === null) {
    throw { message: 'not a JSONata field (it must start with {% and end with %}): ' + field };
  }
  const expression = jsonata(match[1]);
  expression.registerFunction('hash', hash, '<ss:s>');
  expression.registerFunction('parse', parse, '<s:j>');
  const value = await expression.evaluate(null, { states });
  if (value === undefined) {
    throw { message: 'the expression has no value (undefined, which JSON cannot carry): ' + field };
  }
  return value;
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    let answer;
    try {
      const request = JSON.parse(line);
      answer = { value: await evaluate(request.field, request.states) };
    } catch (e) {
      answer = { error: (e.code ? e.code + ': ' : '') + (e.message ?? String(e)) };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
}

main();
