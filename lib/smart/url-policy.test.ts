import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, classifyHost } from './url-policy';

describe('checkOutboundUrl: hostile inputs are refused', () => {
  const hostile: [string, string][] = [
    ['http://fhir.example.com', 'url_not_https'],
    ['javascript:alert(1)', 'url_scheme'],
    ['file:///etc/passwd', 'url_scheme'],
    ['ftp://fhir.example.com', 'url_scheme'],
    ['https://user:pw@fhir.example.com', 'url_userinfo'],
    ['https://@fhir.example.com', 'url_userinfo'],
    ['https://fhir.example.com/r4#frag', 'url_fragment'],
    ['https://fhir.example.com/r4#', 'url_fragment'],
    ['https://fhir.example.com/r4?x=1', 'url_query'],
    [`https://fhir.example.com/${'a'.repeat(2100)}`, 'url_too_long'],
    [' https://fhir.example.com\n', 'url_unparseable'],
    ['fhir.example.com', 'url_unparseable'],
    ['https://169.254.169.254/latest/meta-data', 'url_private_address'],
    ['https://2852039166/', 'url_private_address'], // decimal 169.254.169.254
    ['https://0251.0376.0251.0376/', 'url_private_address'], // octal
    ['https://0xa9fea9fe/', 'url_private_address'], // hex
    ['https://169.254.1.1/', 'url_private_address'],
    ['https://10.0.0.1/', 'url_private_address'],
    ['https://012.1/', 'url_private_address'], // octal short form of 10.0.0.1
    ['https://172.16.5.4/', 'url_private_address'],
    ['https://172.31.255.255/', 'url_private_address'],
    ['https://192.168.1.1/', 'url_private_address'],
    ['https://100.64.0.1/', 'url_private_address'],
    ['https://0.0.0.0/', 'url_private_address'],
    ['https://[::]/', 'url_private_address'],
    ['https://[fe80::1]/', 'url_private_address'],
    ['https://[fd00:ec2::254]/', 'url_private_address'],
    ['https://[fc00::1]/', 'url_private_address'],
    ['https://[::ffff:169.254.169.254]/', 'url_private_address'],
    ['https://[::ffff:10.0.0.1]/', 'url_private_address'],
    ['https://[::ffff:127.0.0.1]/', 'url_private_address'],
    ['https://[::ffff:a9fe:a9fe]/', 'url_private_address'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'url_private_address'],
    ['https://127.0.0.1/', 'url_loopback'], // loopback without the explicit opt-in
    ['http://localhost:3000/', 'url_loopback'],
    ['https://[::1]/', 'url_loopback'],
    ['https://2130706433/', 'url_loopback'], // decimal 127.0.0.1
  ];
  it.each(hostile)('%s → %s', (input, code) => {
    const r = checkOutboundUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });
});

describe('checkOutboundUrl: accepted inputs', () => {
  it.each(['https://fhir.example.com', 'https://fhir.example.com/r4/', 'https://8.8.8.8/fhir', 'https://[2001:db8::1]/'])('%s', (input) => {
    expect(checkOutboundUrl(input).ok).toBe(true);
  });
  it('loopback (http too) only with allowLoopback', () => {
    expect(checkOutboundUrl('http://127.0.0.1:9000/fhir', { allowLoopback: true }).ok).toBe(true);
    expect(checkOutboundUrl('http://localhost:9000', { allowLoopback: true }).ok).toBe(true);
    expect(checkOutboundUrl('http://10.0.0.1', { allowLoopback: true }).ok).toBe(false);
  });
  it('an endpoint may carry a query when asked', () => {
    expect(checkOutboundUrl('https://a.example/token?x=1', { refuseQuery: false }).ok).toBe(true);
  });
});

describe('classifyHost', () => {
  it.each([
    ['172.15.0.1', 'public-ip'],
    ['172.32.0.1', 'public-ip'],
    ['192.169.0.1', 'public-ip'],
    ['fhir.example.com', 'name'],
    ['[fe80::1]', 'link-local'],
    ['[febf::1]', 'link-local'],
    ['[fec0::1]', 'public-ip'],
  ])('%s → %s', (host, cls) => expect(classifyHost(host)).toBe(cls));
});
