import { securityHeaders } from './lib/http/security-headers.mjs';

// The Content-Security-Policy with its per-request nonce comes from proxy.ts; these go on every answer too.
const headers = Object.entries(securityHeaders).map(([key, value]) => ({ key, value }));

const profileBuild = process.env.NEXT_PROFILE_BUILD === '1';

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['pino', 'ajv', '@asymmetrik/fhir-json-schema-validator'],
  // Next buffers request bodies for proxy.ts; no route takes more than this (scripts/server.mjs refuses larger).
  // `NEXT_PROFILE_BUILD=1` (scripts/bench/profile-token.mjs) builds into .next-profile with the server code unminified,
  // so a CPU profile names the console's functions; every other build is the usual one.
  experimental: { proxyClientMaxBodySize: '2mb', ...(profileBuild ? { serverMinification: false } : {}) },
  ...(profileBuild ? { distDir: '.next-profile' } : {}),
  // The built-in sandboxes answer trailing-slash paths as their providers do (Blue Button documents `/v2/o/token/`),
  // never with Next's 308; proxy.ts keeps the canonical redirect for the console's own paths.
  skipTrailingSlashRedirect: true,
  async headers() {
    return [
      { source: '/:path*', headers },
      { source: '/api/:path*', headers: [{ key: 'Cache-Control', value: 'no-store, no-transform' }] },
    ];
  },
};

export default nextConfig;
