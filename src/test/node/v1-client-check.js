'use strict';
// Drives the public PortOne V1 client `iamporter` (pinned in package-lock.json) against the sandbox at
// SANDBOX_URL, through token, lookups, list-by-status, prepare and cancel, and checks every answer
// against the required fields and types of PortOne's V1 OpenAPI document (v1-openapi-shapes.json).
// The buyer is played through the sandbox's control API at SANDBOX_URL/sandbox. Prints one line per
// check; exits 1 at the first failure. Run by NodeClientAgainstSandboxTest.
const assert = require('node:assert/strict');
const { Iamporter, IamporterError } = require('iamporter');
const shapes = require('./v1-openapi-shapes.json');

const base = process.env.SANDBOX_URL;
const apiKey = process.env.SANDBOX_API_KEY;
const secret = process.env.SANDBOX_API_SECRET;
if (!base || !apiKey || !secret) {
  console.error('SANDBOX_URL, SANDBOX_API_KEY and SANDBOX_API_SECRET must be set');
  process.exit(2);
}

function typeOf(value) {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function matches(value, type) {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Required fields present and not null; every non-null field of the declared type, nested ones too. */
function check(definition, value, where) {
  const shape = shapes[definition];
  assert.ok(shape, `no shape ${definition}`);
  assert.equal(typeOf(value), 'object', `${where} is an object`);
  for (const field of shape.required) {
    assert.ok(value[field] !== undefined && value[field] !== null, `${where}.${field} is required (${definition})`);
  }
  for (const [field, spec] of Object.entries(shape.properties)) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    assert.ok(matches(v, spec.type), `${where}.${field} must be ${spec.type}, is ${typeOf(v)}: ${JSON.stringify(v)}`);
    if (spec.type === 'array' && shapes[spec.items]) {
      v.forEach((item, i) => check(spec.items, item, `${where}.${field}[${i}]`));
    } else if (spec.type === 'array' && spec.items !== 'any') {
      v.forEach((item, i) => assert.ok(matches(item, spec.items), `${where}.${field}[${i}] must be ${spec.items}`));
    }
  }
}

async function control(path, body) {
  const res = await fetch(`${base}/sandbox${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}),
  });
  const answer = await res.json();
  assert.ok(res.status < 300, `control ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

const steps = [];
function step(name, run) { steps.push([name, run]); }

const client = new Iamporter({ apiKey, secret, host: base });
const run = Date.now().toString(36);
const card = { merchant_uid: `node_card_${run}`, amount: 15000 };
let cardImpUid;
let vbankImpUid;

step('getToken answers an AuthAnnotation', async () => {
  const res = await client.getToken();
  assert.equal(res.status, 200);
  assert.equal(res.raw.code, 0);
  check('AuthAnnotation', res.data, 'token');
  assert.match(res.data.access_token, /^[0-9a-f]{40}$/);
});

step('a wrong secret is refused with 401', async () => {
  const wrong = new Iamporter({ apiKey, secret: 'not-the-secret', host: base });
  await assert.rejects(wrong.getToken(), (e) => e instanceof IamporterError && e.status === 401);
});

step('prepare registers an amount and getPreparedPayment reads it back', async () => {
  const registered = await client.createPreparedPayment(card);
  check('PaymentPrepareAnnotation', registered.data, 'prepare');
  assert.equal(registered.data.merchant_uid, card.merchant_uid);
  assert.equal(registered.data.amount, card.amount);
  const read = await client.getPreparedPayment(card.merchant_uid);
  check('PaymentPrepareAnnotation', read.data, 'prepared');
  assert.equal(read.data.amount, card.amount);
});

step('the buyer pays (control API): findByImpUid answers a full Payment', async () => {
  cardImpUid = (await control('/payments', { ...card, name: '노트북 거치대' })).imp_uid;
  vbankImpUid = (await control('/payments', { merchant_uid: `node_vbank_${run}`, amount: 20000, pay_method: 'vbank' })).imp_uid;
  const res = await client.findByImpUid(cardImpUid);
  check('PaymentAnnotation', res.data, 'payment');
  assert.equal(res.data.status, 'paid');
  assert.equal(res.data.amount, card.amount);
  assert.equal(res.data.cancel_amount, 0);
  assert.equal(res.data.sandbox, false);
});

step('findByMerchantUid and findAllByMerchantUid find it', async () => {
  const one = await client.findByMerchantUid(card.merchant_uid);
  check('PaymentAnnotation', one.data, 'find');
  assert.equal(one.data.imp_uid, cardImpUid);
  const all = await client.findAllByMerchantUid(card.merchant_uid);
  check('PagedPaymentAnnotation', all.data, 'findAll');
  assert.deepEqual(all.data.list.map((p) => p.imp_uid), [cardImpUid]);
});

step('findAllByStatus lists by status, paged', async () => {
  const paid = await client.findAllByStatus('paid', { limit: 1000 });
  check('PagedPaymentAnnotation', paid.data, 'status/paid');
  assert.ok(paid.data.list.some((p) => p.imp_uid === cardImpUid));
  assert.ok(paid.data.list.every((p) => p.status === 'paid'));
  const ready = await client.findAllByStatus('ready', { limit: 1000 });
  check('PagedPaymentAnnotation', ready.data, 'status/ready');
  assert.ok(ready.data.list.some((p) => p.imp_uid === vbankImpUid));
  const all = await client.findAllByStatus('all', { limit: 1 });
  check('PagedPaymentAnnotation', all.data, 'status/all');
  assert.equal(all.data.list.length, 1);
  assert.ok(all.data.total >= 2 && all.data.next === 2 && all.data.previous === 0, JSON.stringify(all.data));
  await assert.rejects(client.findAllByStatus('refunded'), (e) => e instanceof IamporterError && e.status === 400);
});

step('a partial cancel answers the Payment with its cancel history', async () => {
  const res = await client.cancelByImpUid(cardImpUid, { amount: 5000, reason: '부분 환불', checksum: 15000 });
  check('PaymentAnnotation', res.data, 'cancelled');
  assert.equal(res.data.status, 'cancelled');
  assert.equal(res.data.cancel_amount, 5000);
  assert.equal(res.data.cancel_history.length, 1);
});

step('a refused cancel is code 1 with HTTP 200, and changes nothing', async () => {
  await assert.rejects(client.cancelByImpUid(cardImpUid, { amount: 5000, checksum: 15000 }),
    (e) => e instanceof IamporterError && e.status === 200 && e.raw.code === 1);
  assert.equal((await client.findByImpUid(cardImpUid)).data.cancel_amount, 5000);
});

step('an unknown payment is a 404 with code -1', async () => {
  const res = await client.findByImpUid('imp_000000000000');
  assert.equal(res.status, 404);
  assert.equal(res.raw.code, -1);
  assert.equal(res.data, null);
});

(async () => {
  for (const [name, runStep] of steps) {
    try {
      await runStep();
      console.log(`ok - ${name}`);
    } catch (e) {
      console.log(`not ok - ${name}: ${e.message}`);
      process.exit(1);
    }
  }
  console.log(`all ${steps.length} checks passed`);
})();
