import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { lfw } from '../support/faces.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { RawConnection, sendRaw, tc3Authorization, type HeaderList, type RawAnswer, type RawRequest } from '../support/sdk-shaped.ts';
import { v1Signature, v1StringToSign, type V1Method } from '../../src/tencent/signature-v1.ts';

// Requests shaped exactly as each official Tencent Cloud SDK sends them (header names, casing and
// order, Content-Type, query encoding, JSON flavour, Expect, Connection), and assertions on what
// that SDK needs from the answer. Each test names the SDK(s) and cites the SDK source the survey
// (/work/notes/tencent-sdk-survey.md, §10 "server requirements" N) read. Versions: Python 3.1.162,
// Go 1.3.166, Java 3.2.11, PHP 3.0.1656, .NET 3.0.1493, C++ 3.3.165, Node 4.1.299.

let s: TestServer;
let host: string;

const PEOPLE = 'sdk-people';
const AL = 'sdk-al';
const now = () => Math.floor(Date.now() / 1000);


type Sdk = 'python' | 'go' | 'java' | 'php' | 'dotnet' | 'cpp' | 'node';

interface Call {
  action: string;
  version?: '2018-03-01' | '2020-03-03';
  method?: 'GET' | 'POST';
  /** POST: serialised in the SDK's own JSON flavour */
  params?: Record<string, unknown>;
  /** POST: the exact body bytes (wins over params) */
  body?: string | Buffer;
  /** GET: the query exactly as the SDK puts it on the URL */
  query?: string;
}

interface Shape {
  timestamp?: number;
  /** the Host header (default 127.0.0.1:PORT): the endpoint the SDK was configured with */
  host?: string;
  /** the credential-scope service, when not the SDK's own choice */
  service?: string;
  secretKey?: string;
  /** X-TC-Region: a value, '' for an empty header, null for none */
  region?: string | null;
  /** X-TC-Language (where the SDK sends one): a value, '' for an empty header, null for none */
  language?: string | null;
  /** header values replaced (same name, any case) or appended */
  set?: HeaderList;
  target?: string;
  expect?: 'wait' | 'send';
  unsignedPayload?: boolean;
}

// --- the SDKs' JSON flavours -------------------------------------------------------------------

/** Python `json.dumps`: ensure_ascii (\uXXXX), separators ", " and ": ". */
function pythonJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${pythonJson(k)}: ${pythonJson(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** Go `encoding/json` (the SDK's fork): `<`, `>`, `&`, U+2028/2029 escaped. */
const goJson = (v: unknown): string =>
  JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
/** PHP `json_encode($r, JSON_UNESCAPED_UNICODE)`: raw UTF-8, `/` escaped as `\/`. */
const phpJson = (v: unknown): string => JSON.stringify(v).replaceAll('/', '\\/');

const jsonOf: Record<Sdk, (v: unknown) => string> = {
  python: pythonJson,
  go: goJson,
  php: phpJson,
  java: JSON.stringify, // Gson JsonElement.toString(): raw UTF-8, no HTML escaping
  dotnet: JSON.stringify, // Newtonsoft: raw UTF-8
  cpp: JSON.stringify, // rapidjson Writer: raw UTF-8
  node: JSON.stringify, // json-bigint stringify
};

// --- query encodings ---------------------------------------------------------------------------

const hex = (c: string) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
/** Python `quote_plus` and Go `url.QueryEscape`: unreserved `A-Za-z0-9-_.~` kept, space `+`. */
const plusEncode = (s: string) => s.replace(/[^A-Za-z0-9\-_.~ ]/gu, hex).replaceAll(' ', '+');
/** Java `URLEncoder` and .NET `WebUtility.UrlEncode`: `*` kept, `~` → %7E, space `+`. */
const javaEncode = (s: string) => s.replace(/[^A-Za-z0-9\-_.* ]/gu, hex).replaceAll(' ', '+');
/** Node `querystring.stringify` and PHP RFC 3986 `rawurlencode`: space `%20`. */
const percentEncode = (s: string) => s.replace(/[^A-Za-z0-9\-_.~!'()*]/gu, hex);
const queryOf = (pairs: [string, string][], enc: (s: string) => string) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

// --- TC3 requests as each SDK builds them ------------------------------------------------------

function upsert(headers: HeaderList, [name, value]: [string, string]): void {
  const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  if (i >= 0) headers[i] = [headers[i]![0], value];
  else headers.push([name, value]);
}

/** A TC3-HMAC-SHA256 request laid out as `sdk` lays it out. */
function tc3(sdk: Sdk, c: Call, o: Shape = {}): RawRequest {
  const method = c.method ?? 'POST';
  const version = c.version ?? '2020-03-03';
  const timestamp = String(o.timestamp ?? now());
  const hostHeader = o.host ?? host;
  const body = method === 'GET' ? '' : (c.body ?? jsonOf[sdk](c.params ?? {}));
  const query = method === 'GET' ? (c.query ?? '') : '';
  const contentType =
    method === 'GET' ? 'application/x-www-form-urlencoded' : sdk === 'java' ? 'application/json; charset=utf-8' : 'application/json';
  // Python and Go sign for the fixed service `iai`; the others take the endpoint's first DNS label.
  const service = o.service ?? (sdk === 'python' || sdk === 'go' ? 'iai' : hostHeader.split('.')[0]!);
  const authorization = tc3Authorization({
    secretId: s.secretId,
    secretKey: o.secretKey ?? s.secretKey,
    timestamp: Number(timestamp),
    method,
    query,
    contentType,
    // Node signs the URL's hostname but sends the host with its port (sign.ts:69, http_connection.ts:117).
    host: sdk === 'node' ? hostHeader.replace(/:\d+$/, '') : hostHeader,
    body,
    service,
    unsignedPayload: o.unsignedPayload,
    gap: sdk === 'dotnet' ? '  ' : ' ',
  });
  const region = o.region === undefined ? 'ap-guangzhou' : o.region;
  const language = o.language === undefined ? 'zh-CN' : o.language;
  const opt = (name: string, value: string | null | undefined): HeaderList => (value === null || value === undefined ? [] : [[name, value]]);
  const unsigned = (name: string): HeaderList => (o.unsignedPayload ? [[name, 'UNSIGNED-PAYLOAD']] : []);
  let headers: HeaderList;
  switch (sdk) {
    case 'python': // abstract_client.py:175-225, :426-427; requests adds the first four
      headers = [
        ['User-Agent', 'python-requests/2.28.1'],
        ['Accept-Encoding', 'gzip, deflate'],
        ['Accept', '*/*'],
        ['Connection', 'keep-alive'],
        ['X-TC-TraceId', randomUUID()],
        ['Content-Type', contentType],
        ['Host', hostHeader],
        ['X-TC-Action', c.action],
        ['X-TC-RequestClient', 'SDK_PYTHON_3.1.162'],
        ['X-TC-Timestamp', timestamp],
        ['X-TC-Version', version],
        ...opt('X-TC-Region', region),
        ...opt('X-TC-Language', language),
        ...unsigned('X-TC-Content-SHA256'),
        ['Authorization', authorization],
      ];
      break;
    case 'go': // client.go:319-545 via http.Header.Set: canonical names, written sorted after Host/User-Agent
      headers = [
        ['Host', hostHeader],
        ['User-Agent', 'Go-http-client/1.1'],
        ...(body.length ? ([['Content-Length', String(Buffer.byteLength(body))]] as HeaderList) : []),
        ['Authorization', authorization],
        ['Content-Type', contentType],
        ['X-Tc-Action', c.action],
        ...unsigned('X-Tc-Content-Sha256'),
        ...opt('X-Tc-Language', language),
        ...opt('X-Tc-Region', region),
        ['X-Tc-Requestclient', 'SDK_GO_1.3.166'],
        ['X-Tc-Timestamp', timestamp],
        ['X-Tc-Version', version],
        ['Accept-Encoding', 'gzip'],
      ];
      break;
    case 'java': // AbstractClient.java:746-878 (no X-TC-Language by default); OkHttp adds the last four
      headers = [
        ['Content-Type', contentType],
        ['Host', hostHeader],
        ['Authorization', authorization],
        ['X-TC-Action', c.action],
        ['X-TC-Timestamp', timestamp],
        ['X-TC-Version', version],
        ['X-TC-RequestClient', 'SDK_JAVA_3.2.11'],
        ...opt('X-TC-Region', region),
        ...unsigned('X-TC-Content-SHA256'),
        ...(body.length ? ([['Content-Length', String(Buffer.byteLength(body))]] as HeaderList) : []),
        ['Connection', 'Keep-Alive'],
        ['Accept-Encoding', 'gzip'],
        ['User-Agent', 'okhttp/4.12.0'],
      ];
      break;
    case 'php': // AbstractClient.php:496-593; Guzzle adds User-Agent, and Expect: 100-Continue from 1 MiB
      headers = [
        ['Host', hostHeader],
        ['X-TC-Action', c.action],
        ['X-TC-RequestClient', 'SDK_PHP_3.0.1656'],
        ['X-TC-Timestamp', timestamp],
        ['X-TC-Version', version],
        ...opt('X-TC-Region', region),
        ['Content-Type', contentType],
        ...unsigned('X-TC-Content-SHA256'),
        ['Authorization', authorization],
        ['User-Agent', 'GuzzleHttp/7'],
        ['Accept-Encoding', 'deflate, gzip, br, zstd'],
        ...(Buffer.byteLength(body) >= 1024 * 1024 ? ([['Expect', '100-Continue']] as HeaderList) : []),
      ];
      break;
    case 'dotnet': // AbstractClient.cs:346-423, HttpConnection.cs:315-333: no User-Agent, no Accept-Encoding
      headers = [
        ['Authorization', authorization],
        ['Host', hostHeader],
        ['X-TC-Timestamp', timestamp],
        ['X-TC-Version', version],
        ['X-TC-Region', region ?? ''], // always sent, empty without a region (:398)
        ['X-TC-RequestClient', 'SDK_NET_3.0.1482'],
        ['X-TC-Action', c.action],
        ['X-TC-Language', language ?? 'zh-CN'], // always sent (:405-412)
        ['Content-Type', contentType], // on the content, so a GET carries it too, with Content-Length: 0
        ['Content-Length', String(Buffer.byteLength(body))],
      ];
      break;
    case 'cpp': // AbstractClient.cpp:113-215 (POST only, Connection: Close by default); libcurl adds Accept
      headers = [
        ['Host', hostHeader],
        ['Accept', '*/*'],
        ['X-TC-Action', c.action],
        ['X-TC-Version', version],
        ...opt('X-TC-Region', region || null),
        ['X-TC-RequestClient', 'SDK_CPP_3.3.165'],
        ['Connection', 'Close'],
        ['Content-Type', contentType],
        ['X-TC-Timestamp', timestamp],
        ['Authorization', authorization],
        ['Content-Length', String(Buffer.byteLength(body))],
        ...(Buffer.byteLength(body) > 1024 * 1024 ? ([['Expect', '100-continue']] as HeaderList) : []),
      ];
      break;
    case 'node': // http_connection.ts:53-180, abstract_client.ts:292-295; node-fetch adds the last four
      headers = [
        ['X-TC-TraceId', randomUUID()],
        ['Host', hostHeader],
        ['X-TC-Action', c.action],
        ...opt('X-TC-Region', region || null),
        ['X-TC-Timestamp', timestamp],
        ['X-TC-Version', version],
        ['X-TC-RequestClient', 'SDK_NODEJS_4.1.299'],
        ['Content-Type', contentType],
        ['Authorization', authorization],
        ['Accept', '*/*'],
        ['User-Agent', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)'],
        ...(body.length ? ([['Content-Length', String(Buffer.byteLength(body))]] as HeaderList) : []),
        ['Accept-Encoding', 'gzip,deflate'],
        ['Connection', 'close'],
      ];
      break;
  }
  for (const h of o.set ?? []) upsert(headers, h);
  const expects = headers.some(([n]) => n.toLowerCase() === 'expect');
  return {
    method,
    target: o.target ?? (method === 'GET' ? `/?${query}` : '/'),
    headers,
    body,
    expect: o.expect ?? (expects ? 'wait' : undefined),
  };
}

// --- legacy HmacSHA1/HmacSHA256 ("v1") requests ------------------------------------------------

interface V1Call {
  method: 'GET' | 'POST';
  /** every parameter, common ones included, in the order the SDK writes them (without Signature) */
  params: [string, string][];
  signMethod?: V1Method;
  /** the host the SDK signs (default the Host header) */
  signedHost?: string;
}

function v1Params(c: V1Call): [string, string][] {
  const toSign = v1StringToSign(c.method, c.signedHost ?? host, '/', c.params);
  const sig = v1Signature(s.secretKey, c.signMethod ?? 'HmacSHA1', toSign);
  return [...c.params, ['Signature', sig]];
}

const common = (o: { nonce: string; timestamp?: number; region?: string }) => ({
  Nonce: o.nonce,
  Timestamp: String(o.timestamp ?? now()),
  SecretId: s.secretId,
  Region: o.region ?? 'ap-guangzhou',
});

// --- what every SDK needs from an answer -------------------------------------------------------

/**
 * Requirements 1-3 and 5 on any answer: HTTP 200 (all SDKs but Go discard a non-200 body:
 * Python abstract_client.py:335-338, Java AbstractClient.java:696-701, .NET AbstractClient.cs:209-214,
 * C++ HttpClient.cpp:256-262, Node abstract_client.ts:374-377, PHP Guzzle http_errors), Content-Type
 * exactly `application/json` (Python abstract_client.py:361-364 reads errors only then), no
 * Content-Encoding (Go ratelimitretry.go:63-86, .NET, C++ decode none), and exactly
 * `{"Response":{…,"RequestId":"…"}}` (C++ DetectFaceResponse.cpp:36-60, Java NPE without Response,
 * Go http/response.go:54-68).
 */
function envelope(r: RawAnswer): any {
  assert.equal(r.status, 200, `HTTP ${r.status}: ${r.text}`);
  assert.equal(r.header('content-type'), 'application/json', `Content-Type byte-exact: ${JSON.stringify(r.all('content-type'))}`);
  assert.equal(r.header('content-encoding'), undefined, 'no Content-Encoding');
  assert.ok(r.json !== null && typeof r.json === 'object' && !Array.isArray(r.json), `a JSON object: ${r.text.slice(0, 200)}`);
  assert.deepEqual(Object.keys(r.json), ['Response'], 'no top-level key but Response (Go reads a top-level `code` as the v2 error)');
  const R = r.json.Response;
  assert.ok(R !== null && typeof R === 'object', r.text);
  assert.equal(typeof R.RequestId, 'string', `RequestId a string: ${r.text.slice(0, 200)}`);
  assert.ok(R.RequestId.length > 0, 'RequestId non-empty');
  if (R.Error !== undefined) {
    assert.equal(typeof R.Error.Code, 'string', r.text);
    assert.equal(typeof R.Error.Message, 'string', r.text);
  }
  return R;
}

/** A success: the envelope without Response.Error. */
function ok(r: RawAnswer): any {
  const R = envelope(r);
  assert.equal(R.Error, undefined, `expected a success, got ${R.Error?.Code}: ${R.Error?.Message}`);
  return R;
}

/** An error: the envelope with Response.Error; returns its code. */
function failure(r: RawAnswer): string {
  const R = envelope(r);
  assert.notEqual(R.Error, undefined, `expected an error, got success: ${r.text.slice(0, 200)}`);
  return R.Error.Code;
}

const send = (r: RawRequest) => sendRaw(s.port, r);

/**
 * The integer-typed (int64) fields among `names` that the raw answer text writes as something
 * other than an integer literal (`5.0`, `5.5`, `1e3`); each name must occur at least once.
 */
function nonIntegral(text: string, names: readonly string[]): Record<string, string[]> {
  const bad: Record<string, string[]> = {};
  for (const name of names) {
    const found = [...text.matchAll(new RegExp(`"${name}":(-?[0-9][0-9.eE+-]*)`, 'g'))].map((m) => m[1]!);
    assert.ok(found.length > 0, `${name} is in the answer: ${text.slice(0, 300)}`);
    const notInt = found.filter((v) => !/^-?\d+$/.test(v));
    if (notInt.length) bad[name] = notInt;
  }
  return bad;
}

before(async () => {
  s = await startServer();
  host = `127.0.0.1:${s.port}`;
  ok(await send(tc3('python', { action: 'CreateGroup', params: { GroupName: 'SDK people', GroupId: PEOPLE, GroupExDescriptions: ['Desk'] } })));
  ok(await send(tc3('python', { action: 'CreatePerson', params: { GroupId: PEOPLE, PersonName: 'Al Gore', PersonId: AL, Image: lfw('Al_Gore', 1) } })));
});
after(() => s.close());

const groupName = async (groupId: string): Promise<string> =>
  ok(await send(tc3('python', { action: 'GetGroupInfo', params: { GroupId: groupId } }))).GroupName;

describe('each SDK, TC3-HMAC-SHA256, exactly as it sends a call', () => {
  // Python: tencentcloud/common/abstract_client.py:175-225 (captured in /work/pysdk/captures)
  test('Python: POST with X-TC-TraceId, X-TC-Language zh-CN, python-requests headers and json.dumps spacing', async () => {
    const r = ok(await send(tc3('python', { action: 'GetGroupList', params: { Offset: 0, Limit: 10 } })));
    assert.equal(r.GroupNum, r.GroupInfos.length);
  });

  // Go: tencentcloud/common/client.go:319-545 (http.Header.Set canonicalises names)
  test('Go: canonicalised header names X-Tc-*, X-Tc-Language, Accept-Encoding gzip [req 24]', async () => {
    const r = ok(await send(tc3('go', { action: 'GetPersonListNum', params: { GroupId: PEOPLE } })));
    assert.equal(r.PersonNum, 1);
  });

  // Java: common/AbstractClient.java:774 (Content-Type), :805 (service = endpoint.split(".")[0])
  test('Java: Content-Type application/json; charset=utf-8 signed verbatim, raw UTF-8, service from the endpoint [req 17, 38]', async () => {
    ok(await send(tc3('java', { action: 'CreateGroup', params: { GroupId: 'sdk-java', GroupName: 'Zhāng Sān 张三 ✓' } })));
    assert.equal(await groupName('sdk-java'), 'Zhāng Sān 张三 ✓');
  });

  // PHP: Common/AbstractClient.php:496-593, Common/AbstractModel.php:115 (json_encode)
  test('PHP: Guzzle headers, service `127` from the endpoint, JSON with `\\/` escapes [req 26]', async () => {
    const req = tc3('php', { action: 'CreateGroup', params: { GroupId: 'sdk-php', GroupName: 'a/b 张', Tag: 'https://x/y' } });
    assert.match(String(req.body), /"a\\\/b 张"/);
    ok(await send(req));
    assert.equal(await groupName('sdk-php'), 'a/b 张');
  });

  // .NET: Http/HttpConnection.cs:328-333 (AuthenticationHeaderValue), Common/AbstractClient.cs:398, :405-412
  test('.NET: two spaces after TC3-HMAC-SHA256, empty X-TC-Region, no User-Agent or Accept-Encoding [req 10, 16, 23]', async () => {
    const req = tc3('dotnet', { action: 'GetGroupList', params: {} }, { region: '' });
    assert.ok(req.headers.some(([n, v]) => n === 'Authorization' && v.startsWith('TC3-HMAC-SHA256  Credential=')));
    ok(await send(req));
  });

  // C++: core/src/AbstractClient.cpp:113-215, :147-150
  test('C++: Connection: Close, no X-TC-Region or X-TC-Language, no User-Agent, service `127` [req 9, 35]', async () => {
    const r = ok(await send(tc3('cpp', { action: 'GetPersonBaseInfo', params: { PersonId: AL } }, { region: null })));
    assert.equal(r.PersonName, 'Al Gore');
  });

  // Node: common/sign.ts:69, http/http_connection.ts:117, common/abstract_client.ts:346
  test('Node: Host with its port but the signature over the hostname, service `127`, X-TC-TraceId, Connection: close [req 14]', async () => {
    ok(await send(tc3('node', { action: 'GetGroupList', params: { Limit: 5 } })));
  });
});

describe('A. answer format', () => {
  // Python: abstract_client.py:335-338; Java: AbstractClient.java:696-701; .NET: AbstractClient.cs:209-214;
  // C++: HttpClient.cpp:256-262; Node: abstract_client.ts:374-377; PHP: Guzzle http_errors — a non-200 loses the code
  test('.NET Framework and PHP/libcurl: every error is HTTP 200 with Response.Error — bad signature, unknown action, `{`, 20 MB, PUT — with and without Expect: 100-continue [req 1]', async () => {
    for (const expect of [undefined, 'wait', 'send'] as const) {
      // .NET Framework sends Expect: 100-continue on every POST (ServicePointManager.Expect100Continue)
      const set: HeaderList = expect ? [['Expect', '100-continue']] : [];
      const shape = { set, expect };
      assert.equal(failure(await send(tc3('dotnet', { action: 'GetGroupList', params: {} }, { ...shape, secretKey: 'wrong' }))), 'AuthFailure.SignatureFailure');
      assert.equal(failure(await send(tc3('dotnet', { action: 'NoSuchAction', params: {} }, shape))), 'InvalidAction');
      assert.equal(failure(await send(tc3('dotnet', { action: 'GetGroupList', body: '{' }, shape))), 'InvalidRequest');
      const put = tc3('dotnet', { action: 'GetGroupList', params: {} }, shape);
      assert.equal(failure(await send({ ...put, method: 'PUT' })), 'UnsupportedProtocol');
    }
    // A 20 MB body from PHP (Guzzle: Expect: 100-Continue from 1 MiB), signed over what it sends.
    const huge = Buffer.concat([Buffer.from('{"Image":"'), Buffer.alloc(20 * 1024 * 1024, 'A'), Buffer.from('"}')]);
    const big = tc3('php', { action: 'DetectFace', body: huge });
    assert.ok(big.headers.some(([n, v]) => n === 'Expect' && v === '100-Continue'));
    assert.equal(failure(await send(big)), 'RequestSizeLimitExceeded');
    assert.equal(failure(await send({ ...big, expect: 'send' })), 'RequestSizeLimitExceeded');
    ok(await send(tc3('php', { action: 'GetGroupList', params: {} })));
  });

  // Python: abstract_client.py:361-364 (_check_error), abstract_client_async.py _inter_deserialize_resp
  test('Python sync/async: Content-Type is exactly application/json on success, error, and the pre-routing parser-error path [req 2, 37]', async () => {
    ok(await send(tc3('python', { action: 'GetGroupList', params: {} })));
    assert.equal(failure(await send(tc3('python', { action: 'GetGroupInfo', params: { GroupId: 'nobody-here' } }))), 'InvalidParameterValue.GroupIdNotExist');
    // Requests Node's HTTP parser refuses before any route: a header line without a colon, a header block over the limit.
    const c = new RawConnection(s.port);
    try {
      const bad = await c.sendBytes(`POST / HTTP/1.1\r\nHost: ${host}\r\nthis line is not a header\r\nContent-Length: 0\r\n\r\n`);
      assert.equal(failure(bad), 'InvalidRequest');
    } finally {
      c.close();
    }
    const oversize = tc3('python', { action: 'GetGroupList', method: 'GET', query: `Limit=1&Pad=${'A'.repeat(70 * 1024)}` });
    assert.equal(failure(await send(oversize)), 'RequestSizeLimitExceeded');
  });

  // C++: iai/src/v20200303/model/*Response.cpp:36-60; Java: AbstractClient.java:618-630; .NET: AbstractClient.cs:251-265;
  // Go: http/response.go:54-68
  test('C++, Java, .NET, Go: a success answer is {"Response":{…}} with a string RequestId, also from GET [req 3]', async () => {
    // C++ parses Response.RequestId as a string on success too (DetectFaceResponse.cpp:36-60).
    const r = ok(await send(tc3('cpp', { action: 'GetPersonGroupInfo', params: { PersonId: AL } })));
    assert.equal(r.PersonGroupInfos[0].GroupId, PEOPLE);
    ok(await send(tc3('java', { action: 'GetGroupList', method: 'GET', query: 'Limit=1' })));
  });

  // C++: iai/src/v20200303/model/*.cpp (IsInt64); Go: iai/v20200303/models.go FaceAttributesInfo `Pitch *int64`;
  // Java: Gson Long; .NET: Newtonsoft long?; Python: iai/v20200303/models.py `:type Pitch: int`
  test('C++, Go, Java, .NET: DetectFace integer fields, FaceAttributesInfo Pitch/Yaw/Roll included, are JSON integers in both versions [req 4]', async () => {
    const ints = ['ImageWidth', 'ImageHeight', 'X', 'Y', 'Width', 'Height', 'Gender', 'Age', 'Expression', 'Pitch', 'Yaw', 'Roll'];
    const quality = ['Score', 'Sharpness', 'Brightness', 'Eyebrow', 'Eye', 'Nose', 'Cheek', 'Mouth', 'Chin'];
    const bad: Record<string, Record<string, string[]>> = {};
    for (const version of ['2018-03-01', '2020-03-03'] as const) {
      const params = { Image: lfw('Al_Gore', 2), NeedFaceAttributes: 1, ...(version === '2020-03-03' ? { NeedQualityDetection: 1 } : {}) };
      const r = await send(tc3('cpp', { action: 'DetectFace', version, params }));
      assert.equal(ok(r).FaceInfos.length, 1);
      const found = nonIntegral(r.text, version === '2020-03-03' ? [...ints, ...quality] : ints);
      if (Object.keys(found).length) bad[version] = found;
    }
    assert.deepEqual(bad, {}, `int64 fields written as non-integers: ${JSON.stringify(bad)}`);
  });

  // Python: iai/v20200303/models.py HeadPose `:type Pitch: int`, AttributeItem `:type Type: int` (Go *int64, C++ IsInt64)
  test('C++, Go, Java, .NET: DetectFaceAttributes Age, Smile, HeadPose Pitch/Yaw/Roll, AttributeItem.Type are JSON integers [req 4]', async () => {
    const params = { Image: lfw('Al_Gore', 2), FaceAttributesType: 'Age,Gender,HeadPose,Eye,Smile' };
    const r = await send(tc3('cpp', { action: 'DetectFaceAttributes', params }));
    assert.equal(ok(r).FaceDetailInfos.length, 1);
    const bad = nonIntegral(r.text, ['ImageWidth', 'ImageHeight', 'X', 'Y', 'Width', 'Height', 'Age', 'Smile', 'Pitch', 'Yaw', 'Roll', 'Type']);
    assert.deepEqual(bad, {}, `int64 fields written as non-integers: ${JSON.stringify(bad)}`);
  });

  // Python: iai/v20200303/models.py GroupInfo `:type CreationTimestamp: int`, PersonInfo (Go *uint64/*int64, C++ IsUint64)
  test('C++, Go, Java, .NET: GetGroupList and GetPersonList counts and timestamps are JSON integers [req 4]', async () => {
    const groups = await send(tc3('go', { action: 'GetGroupList', params: {} }));
    ok(groups);
    assert.deepEqual(nonIntegral(groups.text, ['GroupNum', 'CreationTimestamp', 'UpdateTimestamp']), {});
    const persons = await send(tc3('go', { action: 'GetPersonList', params: { GroupId: PEOPLE } }));
    ok(persons);
    assert.deepEqual(nonIntegral(persons.text, ['PersonNum', 'FaceNum', 'CreationTimestamp', 'Gender']), {});
  });

  // Go: tencentcloud/common/ratelimitretry.go:63-86 (decompressBodyReader); .NET and C++ decode nothing
  test('Go, .NET, C++, Java: no Content-Encoding — none asked (.NET, C++), gzip (Go, OkHttp), gzip+br+zstd (Python with brotli, curl) [req 5, 37]', async () => {
    for (const accept of [null, 'gzip', 'gzip, deflate, br, zstd', 'deflate, gzip, br, zstd', 'identity']) {
      const req = tc3('dotnet', { action: 'GetGroupList', params: {} });
      if (accept) req.headers.push(['Accept-Encoding', accept]);
      const r = await send(req);
      ok(r); // asserts no Content-Encoding at all; gzip would be allowed where asked, nothing else ever
    }
  });

  // PHP: Common/Http/HttpConnection.php:39 (allow_redirects false); .NET: Http/HttpConnection.cs:274
  test('PHP (allow_redirects=false) and .NET (v1 POST to /?): POST / and POST /? and GET /? answer 200 directly, never a redirect [req 6, 37]', async () => {
    ok(await send(tc3('php', { action: 'GetGroupList', params: {} })));
    ok(await send(tc3('php', { action: 'GetGroupList', params: {} }, { target: '/?' })));
    // Node GET without parameters: querystring.stringify({}) is '', the URL ends in `?`
    ok(await send(tc3('node', { action: 'GetGroupList', method: 'GET', query: '' })));
  });
});

describe('B. transport', () => {
  // A photo padded with JSON whitespace to the size of the large photos that trigger Expect.
  const padded = (image: string, bytes: number) => {
    const head = `{"Image":"${image}","MaxFaceNum":1`;
    return head + ' '.repeat(bytes - head.length - 1) + '}';
  };

  // PHP: Guzzle PrepareBodyMiddleware (Expect: 100-Continue from 1 MiB), Common/AbstractClient.php
  test('PHP/Guzzle: Expect: 100-Continue on a 2 MB body, the body sent after 100 Continue [req 8]', async () => {
    const req = tc3('php', { action: 'DetectFace', body: padded(lfw('Al_Gore', 3), 2_000_000) });
    assert.equal(req.expect, 'wait');
    const r = await send(req);
    assert.deepEqual(r.interim, [100], 'the server answers 100 Continue before reading the body');
    assert.equal(ok(r).FaceInfos.length, 1);
  });

  // C++: core/src/http/HttpClient.cpp (libcurl adds Expect: 100-continue to large POSTs)
  test('C++/libcurl: Expect: 100-continue on a 2 MB body sent without waiting (curl gives up waiting after 1 s) [req 8]', async () => {
    const req = tc3('cpp', { action: 'DetectFace', body: padded(lfw('Al_Gore', 3), 2_000_000) }, { expect: 'send' });
    assert.ok(req.headers.some(([n, v]) => n === 'Expect' && v === '100-continue'));
    assert.equal(ok(await send(req)).FaceInfos.length, 1);
  });

  // .NET Framework: ServicePointManager.Expect100Continue (true by default) for Http/HttpConnection.cs
  test('.NET Framework: Expect: 100-continue on a small POST, waiting for 100 Continue [req 8]', async () => {
    const r = await send(tc3('dotnet', { action: 'GetGroupList', params: {} }, { set: [['Expect', '100-continue'], ['Connection', 'Keep-Alive']], expect: 'wait' }));
    assert.deepEqual(r.interim, [100]);
    ok(r);
  });

  // Java: OkHttp Connection: Keep-Alive; C++: core/src/AbstractClient.cpp:147-150; Node: node-fetch Connection: close
  test('Java (Connection: Keep-Alive) and Python: two calls on one kept-alive socket; C++ and Node: Connection: close [req 9]', async () => {
    const c = new RawConnection(s.port);
    try {
      ok(await c.send(tc3('java', { action: 'GetGroupList', params: {} })));
      assert.equal(c.isClosed, false, 'the server keeps a Keep-Alive connection open');
      ok(await c.send(tc3('python', { action: 'GetGroupList', params: {} })));
    } finally {
      c.close();
    }
    ok(await send(tc3('cpp', { action: 'GetGroupList', params: {} })));
    ok(await send(tc3('node', { action: 'GetGroupList', params: {} })));
  });

  // .NET: Http/HttpConnection.cs:315-321; Java: AbstractClient.java:837; Go: http/request.go; PHP: Http/HttpConnection.php
  test('.NET (TC3 GET: Content-Type and Content-Length: 0), Java (TC3 GET: Content-Type, no body), Go/PHP (v1 GET: no Content-Type) [req 11]', async () => {
    const dotnet = tc3('dotnet', { action: 'GetGroupList', method: 'GET', query: 'Limit=2' });
    assert.ok(dotnet.headers.some(([n, v]) => n === 'Content-Length' && v === '0'));
    ok(await send(dotnet));
    ok(await send(tc3('java', { action: 'GetGroupList', method: 'GET', query: 'Limit=2' })));
    const params = v1Params({
      method: 'GET',
      params: [['Action', 'GetGroupList'], ['Version', '2020-03-03'], ...Object.entries(common({ nonce: '77' }))],
    });
    ok(await send({ method: 'GET', target: `/?${queryOf(params, percentEncode)}`, headers: [['Host', host], ['User-Agent', 'GuzzleHttp/7']] }));
  });

  // PHP: Guzzle PrepareBodyMiddleware; the cloud's 10 MB request limit (base64 images of 5 MB+)
  test('PHP: a body just under 10 MB (a large base64 photo) is accepted, sent after 100 Continue [req 12]', async () => {
    const req = tc3('php', { action: 'DetectFace', body: padded(lfw('Al_Gore', 3), 10_000_000) });
    assert.equal(ok(await send(req)).FaceInfos.length, 1);
  });
});

describe('C. TC3-HMAC-SHA256', () => {
  // Java: AbstractClient.java:805; PHP: AbstractClient.php:570; .NET: AbstractClient.cs:372; C++: AbstractClient.cpp:120-122;
  // Node: abstract_client.ts:346. Python and Go sign for `iai`.
  test('Java, PHP, .NET, C++, Node: the credential-scope service is the endpoint\'s first label — `127`, `localhost:PORT`, `faceport` — or `iai`; `cvm` is refused [req 15, 39]', async () => {
    ok(await send(tc3('java', { action: 'GetGroupList', params: {} }))); // 127
    ok(await send(tc3('java', { action: 'GetGroupList', params: {} }, { service: 'iai' })));
    ok(await send(tc3('java', { action: 'GetGroupList', params: {} }, { host: `localhost:${s.port}` }))); // localhost:PORT
    ok(await send(tc3('node', { action: 'GetGroupList', params: {} }, { host: `localhost:${s.port}` }))); // signs host:localhost
    ok(await send(tc3('php', { action: 'GetGroupList', params: {} }, { host: `faceport.example.com:${s.port}` }))); // faceport
    ok(await send(tc3('cpp', { action: 'GetGroupList', params: {} }, { host: 'faceport.internal' })));
    const cvm = tc3('python', { action: 'GetGroupList', params: {} }, { service: 'cvm' });
    assert.match(cvm.headers.find(([n]) => n === 'Authorization')![1], /\/cvm\/tc3_request/);
    assert.equal(failure(await send(cvm)), 'AuthFailure.SignatureFailure');
  });

  // Python: abstract_client.py:233-235; Java: AbstractClient.java:928-951; .NET: AbstractClient.cs:447-466;
  // PHP: AbstractClient.php:521-527; Node: sign.ts:73
  test('Python/Java/.NET/PHP (unsorted, `+`), Node (`%20`), Java/.NET (`%7E`, upper-case hex): the GET query is signed raw and decoded as a form [req 18]', async () => {
    const name = 'A+B C ~x/y';
    const cases: [Sdk, string, (s: string) => string][] = [
      ['python', 'sdk-get-py', plusEncode],
      ['node', 'sdk-get-node', percentEncode],
      ['java', 'sdk-get-java', javaEncode],
      ['dotnet', 'sdk-get-net', javaEncode],
      ['php', 'sdk-get-php', plusEncode], // http_build_query RFC 1738
    ];
    for (const [sdk, id, enc] of cases) {
      // declaration/insertion order: GroupName before GroupId, not sorted
      const query = queryOf([['GroupName', `${name} ${sdk}`], ['GroupId', id], ['GroupExDescriptions.0', 'Employee ID'], ['Tag', 'x~y']], enc);
      ok(await send(tc3(sdk, { action: 'CreateGroup', method: 'GET', query })));
      const info = ok(await send(tc3('python', { action: 'GetGroupInfo', params: { GroupId: id } })));
      assert.deepEqual([info.GroupName, info.GroupExDescriptions, info.Tag], [`${name} ${sdk}`, ['Employee ID'], 'x~y'], `${sdk}: ${query}`);
    }
    assert.match(queryOf([['k', name]], javaEncode), /%7E/);
    assert.match(queryOf([['k', name]], percentEncode), /%20/);
  });

  // Go: tencentcloud/common/client.go:399-416, http/request.go:281-349 (flatStructure)
  test('Go: a GET query sorted by key, common parameters removed, `A.0.B` objects decoded [req 19]', async () => {
    const pairs: [string, string][] = [
      ['GroupId', PEOPLE],
      ['PersonExDescriptionInfos.0.PersonExDescription', 'Desk 42'],
      ['PersonExDescriptionInfos.0.PersonExDescriptionIndex', '0'],
      ['PersonId', AL],
    ];
    ok(await send(tc3('go', { action: 'ModifyPersonGroupInfo', method: 'GET', query: queryOf(pairs, plusEncode) })));
    const info = ok(await send(tc3('go', { action: 'GetPersonGroupInfo', method: 'GET', query: `PersonId=${AL}` })));
    assert.deepEqual(info.PersonGroupInfos, [{ GroupId: PEOPLE, PersonExDescriptions: ['Desk 42'] }]);
  });

  // Go: client.go:440-446; Python: abstract_client.py:200-201; Java: AbstractClient.java:783-787; PHP: AbstractClient.php:549-551
  test('Go (X-Tc-Content-Sha256), Python, Java, PHP (X-TC-Content-SHA256): UNSIGNED-PAYLOAD [req 20]', async () => {
    for (const sdk of ['go', 'python', 'java', 'php'] as const) {
      ok(await send(tc3(sdk, { action: 'GetGroupList', params: { Limit: 3 } }, { unsignedPayload: true })));
    }
  });

  // Go: tencentcloud/common/ratelimitretry.go, netretry.go, rewindable_body.go (the same *http.Request re-sent)
  test('Go: rate-limit/network retries re-send the identical signed request, which passes; the same signature with another X-TC-Action or X-TC-Version, later than an SDK could have made it itself, is refused [req 22]', async () => {
    const req = tc3('go', { action: 'GetGroupList', params: {} });
    ok(await send(req));
    ok(await send(req));
    const replace = (name: string, value: string): RawRequest => ({
      ...req,
      headers: req.headers.map(([n, v]) => [n, n === name ? value : v] as [string, string]),
    });
    // past the 2 s in which two calls of one second legitimately share a signature (next test)
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal(failure(await send(replace('X-Tc-Action', 'DeleteGroup'))), 'AuthFailure.SignatureFailure');
    assert.equal(failure(await send(replace('X-Tc-Version', '2018-03-01'))), 'AuthFailure.SignatureFailure');
    ok(await send(req));
  });

  // Python: abstract_client.py:175-225 (and every other SDK, §0): the signature covers content-type, host, body and timestamp only
  test('Python (any SDK): two different calls with the same body in the same second — GetGroupInfo then GetPersonListNum for one group — carry the same signature and both succeed [req 22]', async () => {
    // Byte-identical signatures from distinct, legitimate calls: the cloud accepts both, since no
    // SDK signs X-TC-Action. This is why a signature may serve another action within 2 s of its first use.
    const timestamp = now();
    const params = { GroupId: PEOPLE };
    const a = tc3('python', { action: 'GetGroupInfo', params }, { timestamp });
    const b = tc3('python', { action: 'GetPersonListNum', params }, { timestamp });
    const auth = (r: RawRequest) => r.headers.find(([n]) => n === 'Authorization')![1];
    assert.equal(auth(a), auth(b));
    assert.equal(ok(await send(a)).GroupId, PEOPLE);
    assert.equal(ok(await send(b)).PersonNum, 1);
  });

  // Java: AbstractClient.java:849-851; .NET: AbstractClient.cs:398; Go: client.go (X-Tc-Language from an empty profile Language)
  test('Java/.NET (X-TC-Region: empty), Go (X-Tc-Language: empty): empty optional headers count as absent [req 23]', async () => {
    ok(await send(tc3('java', { action: 'GetGroupList', params: {} }, { region: '' })));
    ok(await send(tc3('dotnet', { action: 'GetGroupList', params: {} }, { region: '' })));
    ok(await send(tc3('go', { action: 'GetGroupList', params: {} }, { language: '', region: null })));
  });

  // Go: client.go:120-129 (X-Idempotency-Key); Python: abstract_client.py:426-427 (X-TC-TraceId)
  test('Go, Python, Node: extra headers — X-Idempotency-Key, X-Tc-Token, X-Tc-Language en-US, RequestClient "SDK_GO_1.3.166: x", X-TC-TraceId — are accepted [req 25]', async () => {
    const set: HeaderList = [
      ['X-Idempotency-Key', 'x'],
      ['X-Tc-Token', 'temporary-token'],
      ['X-Tc-Language', 'en-US'],
      ['X-Tc-Requestclient', 'SDK_GO_1.3.166: my-app'],
      ['X-TC-TraceId', randomUUID()],
    ];
    ok(await send(tc3('go', { action: 'GetGroupList', params: {} }, { set })));
  });

  // Go: tencentcloud/common/json/encode.go:159; Python: json.dumps (abstract_client.py); PHP: AbstractModel.php:115; C++: rapidjson Writer
  test('Go (\\u003c \\u0026 \\u003e), Python (\\uXXXX, ", " / ": "), PHP (\\/), Java/.NET/C++ (raw UTF-8): the JSON body is read from the exact bytes [req 26]', async () => {
    const cases: [Sdk, string, string][] = [
      ['go', 'sdk-json-go', '<Tom & Jerry>'],
      ['python', 'sdk-json-py', '张三 Müller'],
      ['php', 'sdk-json-php', 'https://a/b 张'],
      ['cpp', 'sdk-json-cpp', '张三 ✓ <&>'],
    ];
    for (const [sdk, id, name] of cases) {
      const req = tc3(sdk, { action: 'CreateGroup', params: { GroupName: name, GroupId: id } });
      ok(await send(req));
      assert.equal(await groupName(id), name, `${sdk}: ${String(req.body)}`);
    }
    assert.match(String(tc3('go', { action: 'x', params: { a: '<&>' } }).body), /\\u003c\\u0026\\u003e/);
    assert.match(String(tc3('python', { action: 'x', params: { a: '张', b: 1 } }).body), /^\{"a": "\\u5f20", "b": 1\}$/);
  });

  // Python: json.dumps float repr; Java: Gson Float; Go/Node/PHP: shortest form; iai SearchPersonsRequest.FaceMatchThreshold float
  test('Python (60.0, 1e-05), Java (60.0), Go/Node/PHP (60): FaceMatchThreshold as each SDK writes the float in JSON [req 26]', async () => {
    const image = lfw('Al_Gore', 2);
    const bodies: [Sdk, string][] = [
      ['python', `{"GroupIds": ["${PEOPLE}"], "Image": "${image}", "FaceMatchThreshold": 60.0}`],
      ['python', `{"GroupIds": ["${PEOPLE}"], "Image": "${image}", "FaceMatchThreshold": 1e-05}`],
      ['java', `{"GroupIds":["${PEOPLE}"],"Image":"${image}","FaceMatchThreshold":60.0}`],
      ['go', `{"GroupIds":["${PEOPLE}"],"Image":"${image}","FaceMatchThreshold":60}`],
    ];
    for (const [sdk, body] of bodies) {
      const r = ok(await send(tc3(sdk, { action: 'SearchPersons', body })));
      assert.equal(r.Results[0].Candidates[0].PersonId, AL, `${sdk}: ${body.replace(image, '…')}`);
    }
  });
});

describe('D. legacy HmacSHA1/HmacSHA256', () => {
  const pythonHeaders = (): HeaderList => [
    ['User-Agent', 'python-requests/2.28.1'],
    ['Accept-Encoding', 'gzip, deflate'],
    ['Accept', '*/*'],
    ['Connection', 'keep-alive'],
    ['X-TC-TraceId', randomUUID()],
    // set for GET too (abstract_client.py:172-173)
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Host', host],
  ];

  // Python: abstract_client.py:142-173 (_build_req_with_old_signature), :340-347 (_format_sign_string)
  test('Python: v1 GET with the form Content-Type, Nonce 2^63-1, Language=zh-CN, a value with `+` and a space (quote_plus) [req 27, 28, 29, 30]', async () => {
    const c = common({ nonce: '9223372036854775807' });
    const params = v1Params({
      method: 'GET',
      signMethod: 'HmacSHA256',
      params: [
        ['GroupName', 'A+B C'],
        ['GroupId', 'sdk-v1-py'],
        ['GroupExDescriptions.0', 'Employee ID'],
        ['Action', 'CreateGroup'],
        ['RequestClient', 'SDK_PYTHON_3.1.162'],
        ['Nonce', c.Nonce],
        ['Timestamp', c.Timestamp],
        ['Version', '2020-03-03'],
        ['Region', c.Region],
        ['SecretId', c.SecretId],
        ['SignatureMethod', 'HmacSHA256'],
        ['Language', 'zh-CN'],
      ],
    });
    const target = `/?${queryOf(params, plusEncode)}`;
    assert.match(target, /GroupName=A%2BB\+C&/);
    ok(await send({ method: 'GET', target, headers: pythonHeaders() }));
    assert.equal(await groupName('sdk-v1-py'), 'A+B C');
  });

  // Python: abstract_client.py:142-173 (captured in /work/pysdk/captures)
  test('Python: v1 POST form body, HmacSHA1 [req 27, 28]', async () => {
    const c = common({ nonce: '3017479834091415217' });
    const params = v1Params({
      method: 'POST',
      params: [
        ['Offset', '0'],
        ['Limit', '10'],
        ['Action', 'GetGroupList'],
        ['RequestClient', 'SDK_PYTHON_3.1.162'],
        ['Nonce', c.Nonce],
        ['Timestamp', c.Timestamp],
        ['Version', '2020-03-03'],
        ['Region', c.Region],
        ['SecretId', c.SecretId],
        ['SignatureMethod', 'HmacSHA1'],
        ['Language', 'zh-CN'],
      ],
    });
    ok(await send({ method: 'POST', target: '/', headers: pythonHeaders(), body: queryOf(params, plusEncode) }));
  });

  // Go: http/request.go:259-272 (CompleteCommonParams), client.go:283-317, sign.go:63-94
  test('Go: v1 GET, sorted url.Values, empty Region= and Language=, RequestClient "SDK_GO_1.3.166", no Content-Type; the identical request re-sent by a retry passes again [req 29, 30, 32]', async () => {
    const c = common({ nonce: '5577006791947779410', region: '' });
    const params = v1Params({
      method: 'GET',
      signMethod: 'HmacSHA256',
      params: (
        [
          ['Action', 'GetPersonBaseInfo'],
          ['Language', ''],
          ['Nonce', c.Nonce],
          ['PersonId', AL],
          ['Region', ''],
          ['RequestClient', 'SDK_GO_1.3.166'],
          ['SecretId', c.SecretId],
          ['SignatureMethod', 'HmacSHA256'],
          ['Timestamp', c.Timestamp],
          ['Version', '2020-03-03'],
        ] as [string, string][]
      ),
    });
    params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const req: RawRequest = {
      method: 'GET',
      target: `/?${queryOf(params, plusEncode)}`,
      headers: [['Host', host], ['User-Agent', 'Go-http-client/1.1'], ['Accept-Encoding', 'gzip']],
    };
    assert.match(req.target, /&Language=&/);
    assert.equal(ok(await send(req)).PersonName, 'Al Gore');
    assert.equal(ok(await send(req)).PersonName, 'Al Gore', 'the same Nonce again: a Go retry');
  });

  // Java: http/HttpConnection.java:98-108 (OkHttp appends charset), AbstractClient.java:715-734, Sign.java:71-100
  test('Java: v1 POST with Content-Type application/x-www-form-urlencoded; charset=utf-8, HashMap order, no X-TC-* headers, FaceMatchThreshold 60.0 [req 27, 31, 34]', async () => {
    const c = common({ nonce: '1298498081' });
    const params = v1Params({
      method: 'POST',
      signMethod: 'HmacSHA256',
      params: [
        ['Nonce', c.Nonce],
        ['GroupIds.0', PEOPLE],
        ['SignatureMethod', 'HmacSHA256'],
        ['Action', 'SearchPersons'],
        ['FaceMatchThreshold', '60.0'],
        ['Version', '2020-03-03'],
        ['Image', lfw('Al_Gore', 2)],
        ['Region', c.Region],
        ['MaxFaceNum', '1'],
        ['SecretId', c.SecretId],
        ['RequestClient', 'SDK_JAVA_3.2.11'],
        ['Timestamp', c.Timestamp],
      ],
    });
    const r = ok(
      await send({
        method: 'POST',
        target: '/',
        headers: [
          ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
          ['Host', host],
          ['Connection', 'Keep-Alive'],
          ['Accept-Encoding', 'gzip'],
          ['User-Agent', 'okhttp/4.12.0'],
        ],
        body: queryOf(params, javaEncode),
      }),
    );
    assert.equal(r.Results[0].Candidates[0].PersonId, AL);
  });

  // Java: AbstractModel.setParamSimple (String.valueOf(Float)); Go: http/request.go flatStructure (FormatFloat 'f'); Python: str()
  test('Java (1.0E-5), Go (60), Python (5.0 for an integer): GET/form numbers as the SDKs format them are coerced [req 34]', async () => {
    const image = lfw('Al_Gore', 2);
    // Java TC3 GET: HashMap order, URLEncoder, Float.toString
    const java = queryOf([['Image', image], ['FaceMatchThreshold', '1.0E-5'], ['GroupIds.0', PEOPLE]], javaEncode);
    assert.equal(ok(await send(tc3('java', { action: 'SearchPersons', method: 'GET', query: java }))).Results[0].Candidates[0].PersonId, AL);
    // Go TC3 GET: sorted, FormatFloat 'f' -1
    const go = queryOf([['FaceMatchThreshold', '60'], ['GroupIds.0', PEOPLE], ['Image', image]], plusEncode);
    assert.equal(ok(await send(tc3('go', { action: 'SearchPersons', method: 'GET', query: go }))).Results[0].Candidates[0].PersonId, AL);
    // Python `str(5.0)` when the user passed a float for an integer field
    ok(await send(tc3('python', { action: 'GetGroupList', method: 'GET', query: 'Offset=0&Limit=5.0' })));
  });

  // Node: common/abstract_client.ts:425-482 (formatRequestData, Nonce = Math.round(Math.random()*65535))
  test('Node: v1 POST with Nonce 0, `%20` for a space (querystring), X-TC-TraceId [req 28, 29]', async () => {
    const c = common({ nonce: '0' });
    const params = v1Params({
      method: 'POST',
      params: [
        ['GroupId', 'sdk-v1-node'],
        ['GroupName', 'Node A+B C'],
        ['Action', 'CreateGroup'],
        ['RequestClient', 'SDK_NODEJS_4.1.299'],
        ['Nonce', c.Nonce],
        ['Timestamp', c.Timestamp],
        ['Version', '2018-03-01'],
        ['Region', c.Region],
        ['SecretId', c.SecretId],
        ['SignatureMethod', 'HmacSHA1'],
      ],
    });
    const body = queryOf(params, percentEncode);
    assert.match(body, /Node%20A%2BB%20C/);
    ok(
      await send({
        method: 'POST',
        target: '/',
        headers: [
          ['X-TC-TraceId', randomUUID()],
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Host', host],
          ['Accept', '*/*'],
          ['User-Agent', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)'],
          ['Accept-Encoding', 'gzip,deflate'],
          ['Connection', 'close'],
        ],
        body,
      }),
    );
    assert.equal(await groupName('sdk-v1-node'), 'Node A+B C');
  });

  // .NET: Http/HttpConnection.cs:197-280 (POST URL `/?`), Common/Sign.cs MakeSignPlainText
  test('.NET: v1 POST to `/?` with WebUtility.UrlEncode (`+`, %7E, upper-case hex), Language=zh-CN, no User-Agent [req 6, 27, 28]', async () => {
    const c = common({ nonce: '1804289383' });
    const params = v1Params({
      method: 'POST',
      signMethod: 'HmacSHA256',
      params: [
        ['Action', 'CreateGroup'],
        ['GroupId', 'sdk-v1-net'],
        ['GroupName', '~Net/Name 1'],
        ['Language', 'zh-CN'],
        ['Nonce', c.Nonce],
        ['Region', c.Region],
        ['RequestClient', 'SDK_NET_3.0.1482'],
        ['SecretId', c.SecretId],
        ['SignatureMethod', 'HmacSHA256'],
        ['Timestamp', c.Timestamp],
        ['Version', '2020-03-03'],
      ],
    });
    const body = queryOf(params, javaEncode);
    assert.match(body, /GroupName=%7ENet%2FName\+1/);
    ok(await send({ method: 'POST', target: '/?', headers: [['Host', host], ['Content-Type', 'application/x-www-form-urlencoded']], body }));
    assert.equal(await groupName('sdk-v1-net'), '~Net/Name 1');
  });
});
