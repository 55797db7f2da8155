import { securityHeaders } from './lib/http/security-headers.mjs';

// The Content-Security-Policy with its per-request nonce comes from proxy.ts; these go on every answer too.
const headers = Object.entries(securityHeaders).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['pino'],
  // Next buffers request bodies for proxy.ts; no route takes more than this (scripts/server.mjs refuses larger).
  experimental: { proxyClientMaxBodySize: '2mb' },
  async headers() {
    return [
      { source: '/:path*', headers },
      { source: '/api/:path*', headers: [{ key: 'Cache-Control', value: 'no-store, no-transform' }] },
    ];
  },
};

export default nextConfig;
