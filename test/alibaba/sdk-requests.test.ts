import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { RawConnection, sendRaw, sleep, type HeaderList, type RawAnswer, type RawRequest } from '../support/sdk-shaped.ts';
import { serverWithPhotos } from './photo-server.ts';
import { contentMd5, signature, stringToSign, type EmptyValueStyle } from '../../src/alibaba/signature.ts';

// Green 2018-05-09 (ROA, `acs` HMAC-SHA1) requests shaped exactly as each official Alibaba Cloud
// SDK core sends them, through a live server with the current Date, and assertions on what that
// SDK needs back. Each test names the SDK(s) and cites the source the survey
// (/work/notes/alibaba-sdk-survey.md, §8 "server requirements" R1-R19) read: Java
// aliyun-java-sdk-core 4.7.10, Go alibaba-cloud-sdk-go 1.63.22, Python aliyun-python-sdk-core
// 2.16.0, PHP alibabacloud/client 1.5.32, Node @alicloud/pop-core 1.8.0, Tea @alicloud/openapi-client.
// The survey's fixed-date vectors are checked against authenticate() in test/unit/alibaba/sdk-requests.test.ts.

const ctx = serverWithPhotos();

type AliSdk = 'java' | 'go' | 'python' | 'php' | 'popcore' | 'tea';

interface AliCall {
  path: string;
  /** the action name the SDKs that send x-acs-action put there */
  action: string;
  /** the body bytes; undefined for a call without content */
  body?: string;
  /** query parameters in the SDK's order; null sends a key without `=` (PHP's empty value) */
  query?: [string, string | null][];
}

interface AliShape {
  secret?: string;
  /** x-acs-signature-nonce: the SDK's own by default, null for none */
  nonce?: string | null;
  /** Content-Type: the SDK's own by default, null for none */
  contentType?: string | null;
  /** how the SDK signs an empty query value (default: that SDK's style) */
  emptyValue?: EmptyValueStyle;
  /** header values replaced (same name, any case) or appended after signing-relevant ones */
  set?: HeaderList;
  date?: string;
}

// Query encodings on the wire.
const hex = (c: string) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
/** Python urlencode (quote_plus), Go url.Values.Encode: space `+`. */
const plusEncode = (s: string) => s.replace(/[^A-Za-z0-9\-_.~ ]/gu, hex).replaceAll(' ', '+');
/** Java AcsURLEncoder (URLEncoder, then `+`→%20, `*`→%2A, %7E→`~`), PHP rawurlencode: space %20. */
const rfc3986 = (s: string) => s.replace(/[^A-Za-z0-9\-_.~]/gu, hex);
/** Node querystring.stringify (pop-core, Tea): space %20, `!'()*` kept. */
const nodeEncode = (s: string) => s.replace(/[^A-Za-z0-9\-_.~!'()*]/gu, hex);

const wireEncoding: Record<AliSdk, (s: string) => string> = {
  java: rfc3986,
  go: plusEncode,
  python: plusEncode,
  php: rfc3986,
  popcore: nodeEncode,
  tea: nodeEncode,
};
/** How each SDK signs a key whose value is empty (RoaSignatureComposer.buildQueryString, roa_request.go, Sign.php; pop-core and Tea-TS `k=`). */
const emptyStyle: Record<AliSdk, EmptyValueStyle> = { java: 'k', go: 'k', python: 'k=', php: 'k', popcore: 'k=', tea: 'k=' };

const EMPTY_MD5 = contentMd5(''); // 1B2M2Y8AsgTpgAmY7PhCfg==

/** The Authorization an SDK computes over the headers it sends (a missing header gives an empty line). */
function acsAuthorization(r: { method: string; path: string; query: [string, string][]; headers: HeaderList }, secret: string, emptyValue: EmptyValueStyle): string {
  const get = (name: string) => r.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
  const acsHeaders = Object.fromEntries(r.headers.filter(([n]) => n.toLowerCase().startsWith('x-acs-')).map(([n, v]) => [n.toLowerCase(), v]));
  const toSign = stringToSign({
    method: r.method,
    accept: get('accept'),
    contentMd5: get('content-md5'),
    contentType: get('content-type'),
    date: get('date'),
    acsHeaders,
    path: r.path,
    query: r.query,
    emptyValue,
  });
  return `acs ${ctx.s.secretId}:${signature(secret, toSign)}`;
}

const phpNonce = () => `${createHash('md5').update(randomUUID()).digest('hex')}0.${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')} ${Math.floor(Date.now() / 1000)}`;
const popNonce = () => randomUUID().replaceAll('-', '');

/** A Green request laid out as `sdk` lays it out, signed as it signs. */
function acs(sdk: AliSdk, c: AliCall, o: AliShape = {}): RawRequest {
  const host = `127.0.0.1:${ctx.s.port}`;
  const date = o.date ?? new Date().toUTCString();
  const body = c.body;
  const md5 = body === undefined ? EMPTY_MD5 : contentMd5(body);
  const opt = (name: string, value: string | null | undefined): HeaderList => (value === null || value === undefined ? [] : [[name, value]]);
  const ct = (fallback: string | null) => (o.contentType === undefined ? fallback : o.contentType);
  const nonce = (fallback: string | null) => (o.nonce === undefined ? fallback : o.nonce);
  const length = body === undefined ? '0' : String(Buffer.byteLength(body));
  let headers: HeaderList;
  switch (sdk) {
    case 'java': // RoaAcsRequest, RoaSignatureComposer, DefaultAcsClient, ApacheHttpClient: MD5 always, form Content-Type by default
      headers = [
        ['Date', date],
        ['Accept', 'application/json'],
        ['Content-MD5', md5],
        ...opt('Content-Type', ct(body === undefined ? 'application/x-www-form-urlencoded' : 'application/json')),
        ...opt('x-acs-signature-nonce', nonce(randomUUID())),
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ['x-acs-signature-version', '1.0'],
        ['x-acs-version', '2018-05-09'],
        ['x-acs-action', c.action],
        ['RegionId', 'cn-shanghai'], // a plain header, not signed
        ['x-sdk-client', 'Java/2.0.0'],
        ['x-sdk-invoke-type', 'normal'],
        ['Accept-Encoding', 'identity'],
        ['User-Agent', 'AlibabaCloud (Linux; amd64) Java/17.0.9 Core/4.7.10 HTTPClient/ApacheHttpClient'],
        ['Authorization', ''],
        ['Content-Length', length],
        ['Host', host],
        ['Connection', 'Keep-Alive'],
      ];
      break;
    case 'go': // roa_signature_composer.go, client.go buildHttpRequest (Header[key] = …, written sorted): MD5 always, no nonce
      headers = [
        ['Host', host],
        ['User-Agent', 'AlibabaCloud (linux; amd64) Golang/go1.22.0 Core/1.63.22 TeaDSL/1'],
        ['Content-Length', length],
        ['Accept', 'application/json'],
        ['Accept-Encoding', 'identity'],
        ['Authorization', ''],
        ['Content-MD5', md5],
        ...opt('Content-Type', ct('application/octet-stream')),
        ['Date', date],
        ['x-acs-action', c.action],
        ['x-acs-credentials-provider', 'static_ak'],
        ...opt('x-acs-signature-nonce', nonce(null)),
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ['x-acs-signature-version', '1.0'],
        ['x-acs-version', '2018-05-09'],
        ['x-sdk-client', 'golang/1.0.0'],
        ['x-sdk-core-version', '1.63.22'],
        ['x-sdk-invoke-type', 'normal'],
      ];
      break;
    case 'python': // request.py get_signed_header, client.py _make_http_response (order from the captures): MD5 and Content-Type only with content
      headers = [
        ['Host', host],
        ['User-Agent', 'AlibabaCloud (Linux 6.1.0;x86_64) Python/3.11.2 Core/2.16.0 python-requests/2.18.3'],
        ['Accept-Encoding', 'identity'],
        ['Accept', 'application/json'],
        ['Connection', 'keep-alive'],
        ['x-acs-action', c.action],
        ['x-acs-version', '2018-05-09'],
        ['x-sdk-invoke-type', 'normal'],
        ...opt('Content-Type', ct(body === undefined ? null : 'application/octet-stream')),
        ...(body === undefined ? [] : ([['Content-MD5', md5]] as HeaderList)),
        ['x-acs-region-id', 'cn-shanghai'],
        ...opt('x-acs-signature-nonce', nonce(null)),
        ['Date', date],
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ['x-acs-signature-version', '1.0'],
        ['Authorization', ''],
        ['x-sdk-client', 'python/2.0.0'],
        ['Content-Length', length],
      ];
      break;
    case 'php': // RoaRequest.php resolveHeaders/resolveBody: ->body()/->jsonBody() set no Content-MD5; no x-acs-action
      headers = [
        ['Host', host],
        ['User-Agent', 'AlibabaCloud (Linux 6.1.0; x86_64) Client/1.5.32 PHP/8.2.7 Guzzle/7'],
        ['Accept', 'application/json'],
        ...opt('Content-Type', ct('application/json; charset=utf-8')),
        ['Date', date],
        ['x-acs-region-id', 'cn-shanghai'],
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ...opt('x-acs-signature-nonce', nonce(phpNonce())),
        ['x-acs-signature-version', '1.0'],
        ['x-acs-version', '2018-05-09'],
        ['Authorization', ''],
        ['Content-Length', length],
      ];
      break;
    case 'popcore': // lib/roa.js: lower-case names, host without the port, MD5 always, no Content-Type unless the caller gives one
      headers = [
        ['accept', 'application/json'],
        ['date', date],
        ['host', '127.0.0.1'],
        ...opt('x-acs-signature-nonce', nonce(popNonce())),
        ['x-acs-version', '2018-05-09'],
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ['x-acs-signature-version', '1.0'],
        ['user-agent', 'AlibabaCloud (linux; x64) Node.js/v20.11.0 Core/1.8.0'],
        ['x-sdk-client', 'Node.js(v20.11.0), OpenAPI/1.8.0'],
        ['content-md5', md5],
        ['content-length', length],
        ...opt('content-type', ct(null)),
        ['authorization', ''],
        ['Connection', 'keep-alive'],
      ];
      break;
    case 'tea': // darabonba-openapi main.tea doROARequest: host with the port, never Content-MD5
      headers = [
        ['date', date],
        ['host', host],
        ['accept', 'application/json'],
        ...opt('x-acs-signature-nonce', nonce(popNonce())),
        ['x-acs-signature-method', 'HMAC-SHA1'],
        ['x-acs-signature-version', '1.0'],
        ['x-acs-version', '2018-05-09'],
        ['x-acs-action', c.action],
        ['user-agent', 'AlibabaCloud (linux; x64) Node.js/v20.11.0 Core/1.0.8 TeaDSL/1'],
        ['x-acs-credentials-provider', 'access_key'],
        ...opt('content-type', ct(body === undefined ? null : 'application/json; charset=utf-8')),
        ['authorization', ''],
        ['content-length', length],
      ];
      break;
  }
  for (const [name, value] of o.set ?? []) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) headers[i] = [headers[i]![0], value];
    else headers.splice(headers.length - 1, 0, [name, value]);
  }
  const query = c.query ?? [];
  const enc = wireEncoding[sdk];
  const wire = query.map(([k, v]) => (v === null ? enc(k) : `${enc(k)}=${enc(v)}`)).join('&');
  const signed: [string, string][] = query.map(([k, v]) => [k, v ?? '']);
  const i = headers.findIndex(([n]) => n.toLowerCase() === 'authorization');
  headers[i] = [headers[i]![0], acsAuthorization({ method: 'POST', path: c.path, query: signed, headers }, o.secret ?? ctx.s.secretKey, o.emptyValue ?? emptyStyle[sdk])];
  return { method: 'POST', target: wire ? `${c.path}?${wire}` : c.path, headers, body };
}

const send = (r: RawRequest) => sendRaw(ctx.s.port, r);

/** Every answer: a JSON Content-Type (Java ApacheHttpClient.parseToHttpResponse throws without one; pop-core parses only `application/json…`), never compressed (R9, R13). */
function jsonAnswer(r: RawAnswer): any {
  assert.match(r.header('content-type') ?? '(none)', /^application\/json(;|$)/, `Content-Type: ${JSON.stringify(r.all('content-type'))}`);
  assert.equal(r.header('content-encoding'), undefined, 'no Content-Encoding (Java/Go/Python send Accept-Encoding: identity)');
  assert.ok(r.json !== null && typeof r.json === 'object' && !Array.isArray(r.json), `a JSON object: ${r.text.slice(0, 200)}`);
  return r.json;
}

/**
 * A business answer (R12): HTTP 200 with `{code, msg, requestId, data}` — Go unmarshals every 2xx
 * body as JSON (responses/response.go), Java doAction callers check isSuccess() then `code`.
 */
function envelope(r: RawAnswer): any {
  assert.equal(r.status, 200, `HTTP ${r.status}: ${r.text}`);
  const b = jsonAnswer(r);
  assert.ok(Number.isInteger(b.code), r.text);
  assert.equal(typeof b.msg, 'string', r.text);
  assert.equal(typeof b.requestId, 'string', r.text);
  assert.ok('data' in b, r.text);
  return b;
}

/** A successful call: the envelope with code 200. */
function ok(r: RawAnswer): any {
  const b = envelope(r);
  assert.equal(b.code, 200, `expected code 200, got ${b.code}: ${b.msg}`);
  return b.data;
}

/**
 * A gateway error (R10): HTTP 4xx, JSON whose Code, Message, RequestId, HostId and Recommend
 * are strings (Go errors/server_error.go type-asserts each with .(string) and panics
 * otherwise), AccessDeniedDetail absent or an object.
 */
function gateway(r: RawAnswer, code: string): any {
  assert.ok(r.status >= 400 && r.status < 500, `HTTP 4xx, got ${r.status}: ${r.text}`);
  const b = jsonAnswer(r);
  for (const k of ['Code', 'Message', 'RequestId', 'HostId', 'Recommend']) assert.equal(typeof b[k], 'string', `${k} a string: ${r.text}`);
  assert.ok(
    b.AccessDeniedDetail === undefined || (b.AccessDeniedDetail !== null && typeof b.AccessDeniedDetail === 'object' && !Array.isArray(b.AccessDeniedDetail)),
    'AccessDeniedDetail absent or an object',
  );
  assert.equal(b.Code, code, r.text);
  return b;
}

const addPerson = (personId: string, groupIds: string[] = ['sdk-g']) => ({
  path: '/green/sface/person/add',
  action: 'AddPerson',
  body: JSON.stringify({ personId, groupIds }),
});
const getGroups = { path: '/green/sface/groups', action: 'GetGroups' };

describe('each SDK core, exactly as it sends a call', () => {
  // Go: sdk/auth/roa_signature_composer.go (no nonce), sdk/client.go buildHttpRequest, services/green/add_person.go
  test('Go: AddPerson with octet-stream, Content-MD5, x-acs-credentials-provider, no nonce; the identical request twice passes both times [R1]', async () => {
    const data = ok(await send(acs('go', addPerson('sdk-go'))));
    assert.deepEqual([data.personId, data.groupIds], ['sdk-go', ['sdk-g']]);
    const req = acs('go', getGroups);
    assert.ok(ok(await send(req)).groupIds.includes('sdk-g'));
    assert.ok(ok(await send(req)).groupIds.includes('sdk-g'), 'no nonce: the same signature again is not a replay');
  });

  // Python: aliyunsdkcore/request.py get_signed_header (Content-MD5 only with content; captured in /work/pysdk/captures)
  test('Python: GetGroups with no body, no Content-MD5, no Content-Type, Content-Length: 0, RegionId in the query [R2, R7]', async () => {
    const req = acs('python', { ...getGroups, query: [['RegionId', 'cn-shanghai']] });
    assert.ok(!req.headers.some(([n]) => /^content-(md5|type)$/i.test(n)));
    ok(await send(req));
  });

  // Python: aliyunsdkcore/client.py _make_http_response (octet-stream for content without a type; captured)
  test('Python: AddPerson with a json.dumps body, octet-stream and Content-MD5, as captured [R5, R7]', async () => {
    const body = '{"personId": "sdk-py", "groupIds": ["sdk-g"], "name": "Al Gore"}';
    const data = ok(await send(acs('python', { path: '/green/sface/person/add', action: 'AddPerson', body, query: [['RegionId', 'cn-shanghai']] })));
    assert.equal(data.personId, 'sdk-py');
  });

  // PHP: src/Request/RoaRequest.php resolveHeaders/resolveQuery, src/Support/Sign.php roaString
  test('PHP: AddPerson via ->jsonBody(): no Content-MD5, application/json; charset=utf-8, a nonce with a space, no x-acs-action, ClientInfo and Version=2018-05-09 in the query [R3, R6, R7]', async () => {
    const req = acs('php', { ...addPerson('sdk-php'), query: [['ClientInfo', '{"ip":"127.0.0.1"}'], ['Version', '2018-05-09']] });
    assert.ok(!req.headers.some(([n]) => /^content-md5$/i.test(n)));
    assert.match(req.headers.find(([n]) => n === 'x-acs-signature-nonce')![1], / /);
    const data = ok(await send(req));
    assert.equal(data.personId, 'sdk-php');
  });

  // Java: aliyuncs/RoaAcsRequest.java, auth/RoaSignatureComposer.java, DefaultAcsClient.java
  test('Java: AddPerson with setHttpContent(JSON): Content-MD5, application/json, a nonce, x-acs-action, an unsigned RegionId header [R6]', async () => {
    assert.equal(ok(await send(acs('java', addPerson('sdk-java')))).personId, 'sdk-java');
  });

  // pop-core: lib/roa.js
  test('pop-core: lower-case headers, host without the port, no Content-Type, clientInfo in the query [R5, R6, R7]', async () => {
    const data = ok(await send(acs('popcore', { ...addPerson('sdk-pop'), query: [['clientInfo', '{"userId":"1","userNick":"Mike"}']] })));
    assert.equal(data.personId, 'sdk-pop');
  });

  // Tea: darabonba-openapi main.tea doROARequest, darabonba-openapi-util ts/src/client.ts getStringToSign
  test('Tea doROARequest: no Content-MD5 with a body, application/json; charset=utf-8, host with the port, x-acs-credentials-provider [R3, R6]', async () => {
    assert.equal(ok(await send(acs('tea', { ...addPerson('sdk-tea'), query: [['RegionId', 'cn-shanghai']] }))).personId, 'sdk-tea');
  });
});

describe('signing details', () => {
  // Java: RoaSignatureComposer.buildQueryString; PHP: src/Encode.php toString + Sign.php; Go: roa_request.go; pop-core: lib/roa.js
  test('Java (`?ClientInfo=`) and PHP (`?ClientInfo`) sign an empty value as a bare key; pop-core/Tea-TS sign `ClientInfo=`; each wire form with each signature passes [R4]', async () => {
    const cases: [AliSdk, string | null, EmptyValueStyle][] = [
      ['java', '', 'k'],
      ['java', null, 'k'],
      ['php', null, 'k'],
      ['php', '', 'k'],
      ['popcore', '', 'k='],
      ['popcore', null, 'k='],
    ];
    for (const [sdk, value, emptyValue] of cases) {
      const id = `sdk-empty-${sdk}-${value === null ? 'bare' : 'eq'}`;
      const req = acs(sdk, { ...addPerson(id), query: [['ClientInfo', value]] }, { emptyValue });
      assert.ok(req.target.endsWith(value === null ? '?ClientInfo' : '?ClientInfo='));
      const r = await send(req);
      assert.equal(ok(r).personId, id, `${sdk} ${req.target} signed as ${emptyValue}`);
    }
  });

  // Go: client.go (octet-stream); Python: client.py; Java: RoaAcsRequest.initialize (form); PHP: RoaRequest.php; pop-core: lib/roa.js (none)
  test('Go/Python (octet-stream), Java (form, application/json, application/json;charset=utf-8), PHP/Tea (application/json; charset=utf-8), pop-core (none): any Content-Type, signed as received, body read as JSON [R5]', async () => {
    const cases: [AliSdk, string | null][] = [
      ['go', 'application/octet-stream'],
      ['python', 'application/octet-stream'],
      ['java', 'application/x-www-form-urlencoded'],
      ['java', 'application/json'],
      ['java', 'application/json;charset=utf-8'],
      ['php', 'application/json; charset=utf-8'],
      ['popcore', null],
    ];
    for (const [i, [sdk, contentType]] of cases.entries()) {
      const id = `sdk-ct-${i}`;
      const data = ok(await send(acs(sdk, addPerson(id, ['sdk-ct']), { contentType })));
      assert.deepEqual([data.personId, data.groupIds], [id, ['sdk-ct']], `${sdk} ${contentType}`);
    }
  });

  // pop-core: lib/roa.js (STS adds x-acs-accesskey-id and x-acs-security-token)
  test('pop-core with STS: x-acs-accesskey-id and x-acs-security-token are signed like every x-acs-* header [R6]', async () => {
    const set: HeaderList = [['x-acs-accesskey-id', ctx.s.secretId], ['x-acs-security-token', 'CAIS-sts-token']];
    ok(await send(acs('popcore', getGroups, { set })));
  });

  // Java: RoaAcsRequest.initialize; Go: sdk/requests/acs_request.go; pop-core: lib/roa.js; Tea: main.tea doROARequest
  test('Java, Go, pop-core: an empty body with the Content-MD5 of nothing; Tea: GetGroups with neither MD5 nor Content-Type [R8]', async () => {
    const java = acs('java', getGroups);
    assert.ok(java.headers.some(([n, v]) => n === 'Content-MD5' && v === '1B2M2Y8AsgTpgAmY7PhCfg=='));
    ok(await send(java));
    ok(await send(acs('go', getGroups)));
    ok(await send(acs('popcore', getGroups)));
    ok(await send(acs('tea', { ...getGroups, query: [['RegionId', 'cn-shanghai']] })));
  });

  // PHP: RoaRequest.php (nonce always sent); Go: roa_signature_composer.go, Python: roa_signature_composer.py (none)
  test('PHP and Java: a nonce used twice is refused with SignatureNonceUsed; Go and Python, which send none, are not [R16]', async () => {
    const php = acs('php', { ...getGroups, query: [['Version', '2018-05-09']] });
    ok(await send(php));
    gateway(await send(php), 'SignatureNonceUsed');
    const python = acs('python', { ...getGroups, query: [['RegionId', 'cn-shanghai']] });
    ok(await send(python));
    ok(await send(python));
  });

  // Tea: darabonba-openapi main.tea callApi/doRequest, darabonba-openapi-util ts/src/client.ts getAuthorization
  test('Tea (new callApi clients): ACS3-HMAC-SHA256 is answered 400 IncompleteSignature naming signatureAlgorithm v2 [R18]', async () => {
    const body = JSON.stringify({ personId: 'sdk-acs3', groupIds: ['sdk-g'] });
    const headers: HeaderList = [
      ['host', `127.0.0.1:${ctx.s.port}`],
      ['x-acs-version', '2018-05-09'],
      ['x-acs-action', 'AddPerson'],
      ['user-agent', 'AlibabaCloud (linux; x64) Node.js/v20.11.0 Core/1.0.8 TeaDSL/2'],
      ['x-acs-date', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')],
      ['x-acs-signature-nonce', popNonce()],
      ['accept', 'application/json'],
      ['x-acs-content-sha256', createHash('sha256').update(body).digest('hex')],
      ['content-type', 'application/json; charset=utf-8'],
    ];
    const signed = headers.filter(([n]) => n === 'host' || n === 'content-type' || n.startsWith('x-acs-')).sort(([a], [b]) => (a < b ? -1 : 1));
    const names = signed.map(([n]) => n).join(';');
    const canonical = ['POST', '/green/sface/person/add', '', signed.map(([n, v]) => `${n}:${v}\n`).join(''), names, headers[7]![1]].join('\n');
    const toSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const sig = createHmac('sha256', ctx.s.secretKey).update(toSign).digest('hex');
    headers.push(['authorization', `ACS3-HMAC-SHA256 Credential=${ctx.s.secretId},SignedHeaders=${names},Signature=${sig}`]);
    const r = await send({ method: 'POST', target: '/green/sface/person/add', headers, body });
    assert.equal(r.status, 400);
    assert.match(gateway(r, 'IncompleteSignature').Message, /signatureAlgorithm/);
  });
});

describe('answers', () => {
  // Python: aliyunsdkcore/client.py _get_server_exception (split(':')[1]); Go: sdk/errors/signature_does_not_match_wrapper.go
  test('Python: a wrong secret is HTTP 400 SignatureDoesNotMatch whose Message has `:` — the SDK evaluates split(":")[1] — followed by the server string to sign [R10, R11]', async () => {
    const e = gateway(await send(acs('python', { ...addPerson('sdk-wrong'), query: [['RegionId', 'cn-shanghai']] }, { secret: 'wrong' })), 'SignatureDoesNotMatch');
    assert.equal(e.HostId, `127.0.0.1:${ctx.s.port}`);
    assert.ok(e.Message.includes(':'));
    assert.notEqual(e.Message.split(':')[1], undefined);
    assert.match(e.Message, /server string to sign is:/, 'what Go (signature_does_not_match_wrapper.go), Java and PHP look for');
  });

  // Go: sdk/errors/server_error.go (.(string) assertions); Java: DefaultAcsClient.readError; pop-core: lib/roa.js
  test('Go, Java, pop-core: gateway errors are 4xx JSON with string Code, Message, RequestId, HostId, Recommend [R10]', async () => {
    gateway(await send(acs('go', getGroups, { secret: 'wrong' })), 'SignatureDoesNotMatch');
    const unknownKey = acs('java', getGroups);
    unknownKey.headers = unknownKey.headers.map(([n, v]) => [n, n === 'Authorization' ? v.replace(/^acs [^:]+:/, 'acs AKIDnobody:') : v]);
    gateway(await send(unknownKey), 'InvalidAccessKeyId.NotFound');
    gateway(await send(acs('popcore', getGroups, { date: new Date(Date.now() - 20 * 60_000).toUTCString() })), 'InvalidTimeStamp.Expired');
    gateway(await send(acs('go', { ...addPerson('sdk-md5'), body: '{"personId":"sdk-md5","groupIds":["x"]}' }, { set: [['Content-MD5', EMPTY_MD5]] })), 'ContentMD5NotMatched');
    gateway(await send(acs('java', { path: '/green/sface/nothing', action: 'Nothing' })), 'InvalidApi.NotFound');
    gateway(await send(acs('go', getGroups, { set: [['x-acs-version', '2017-01-01']] })), 'InvalidAction.NotFound');
    const noDate = acs('go', getGroups);
    noDate.headers = noDate.headers.filter(([n]) => n !== 'Date');
    gateway(await send(noDate), 'MissingDate');
  });

  // Java: http/clients/ApacheHttpClient.java parseToHttpResponse ("contentType cannot be empty"); pop-core: lib/roa.js
  test('Java, pop-core: Content-Type application/json on 200, 400 SignatureDoesNotMatch, 404 InvalidApi.NotFound, the body-limit error, and under Accept: application/octet-stream or application/xml [R9]', async () => {
    ok(await send(acs('java', getGroups)));
    gateway(await send(acs('java', getGroups, { secret: 'wrong' })), 'SignatureDoesNotMatch');
    gateway(await send(acs('popcore', { path: '/green/sface/nothing', action: 'Nothing' })), 'InvalidApi.NotFound');
    const big = JSON.stringify({ personId: 'sdk-big', groupIds: ['sdk-g'], pad: 'x'.repeat(1024 * 1024) });
    gateway(await send(acs('java', { path: '/green/sface/person/add', action: 'AddPerson', body: big })), 'InvalidParameter.Format');
    // aliyun-python-sdk-core's deprecated do_action keeps format RAW: Accept: application/octet-stream
    ok(await send(acs('python', getGroups, { set: [['Accept', 'application/octet-stream']] })));
    ok(await send(acs('java', getGroups, { set: [['Accept', 'application/xml']] })));
  });

  // Go: sdk/responses/response.go Unmarshal; Java: DefaultAcsClient doAction callers read isSuccess() then code
  test('Go, Java: business outcomes are HTTP 200 with a JSON envelope {code, msg, requestId, data} — unknown person 404, a missing field 400, a body that is not JSON 400 [R12]', async () => {
    const missing = envelope(await send(acs('go', { path: '/green/sface/person', action: 'GetPerson', body: '{"personId":"sdk-nobody"}' })));
    assert.equal(missing.code, 404);
    const noGroups = envelope(await send(acs('java', { path: '/green/sface/person/add', action: 'AddPerson', body: '{"personId":"sdk-x"}' })));
    assert.equal(noGroups.code, 400);
    const notJson = envelope(await send(acs('go', { path: '/green/sface/person', action: 'GetPerson', body: '{"personId":' })));
    assert.equal(notJson.code, 400);
  });

  // Java, Go, Python: Accept-Encoding: identity; pop-core: none (httpx)
  test('pop-core (no Accept-Encoding) and a client asking for gzip: the answer is never compressed [R13]', async () => {
    ok(await send(acs('popcore', getGroups)));
    ok(await send(acs('go', getGroups, { set: [['Accept-Encoding', 'gzip, deflate, br']] })));
  });

  // pop-core: lib/roa.js (keep-alive agent, keepAliveMsecs 3000); Java: http/HttpClientConfig.java keepAliveDurationMillis 5000
  test('pop-core (keepAliveMsecs 3000) and Java (Apache, 5 s keep-alive): two calls on one socket 4 s apart both succeed [R15]', async () => {
    const c = new RawConnection(ctx.s.port);
    try {
      const first = await c.send(acs('popcore', getGroups));
      ok(first);
      const keepAlive = /timeout=(\d+)/.exec(first.header('keep-alive') ?? '');
      if (keepAlive) assert.ok(Number(keepAlive[1]) > 5, `Keep-Alive: ${first.header('keep-alive')}`);
      await sleep(4000);
      assert.equal(c.isClosed, false, 'the server kept the idle connection open for 4 s');
      ok(await c.send(acs('java', getGroups)));
    } finally {
      c.close();
    }
  });

  // pop-core: lib/roa.js (json-bigint); Java and Go: int64 fields
  test('pop-core (json-bigint), Java/Go (int64): AddFaces faceIds are integers below 2^53 [R19]', async () => {
    ok(await send(acs('java', addPerson('sdk-faces'))));
    const body = JSON.stringify({ personId: 'sdk-faces', urls: [ctx.photos.url('lfw-dev/Al_Gore/1.jpg')] });
    const r = await send(acs('popcore', { path: '/green/sface/face/add', action: 'AddFaces', body }, { contentType: 'application/json' }));
    const data = ok(r);
    assert.equal(data.faceImageItems[0].success, true, JSON.stringify(data));
    const raw = /"faceId":(-?[0-9.eE+-]+)/.exec(r.text)?.[1];
    assert.match(raw ?? '', /^\d+$/);
    assert.ok(Number.isSafeInteger(Number(raw)), `faceId ${raw}`);
  });
});
