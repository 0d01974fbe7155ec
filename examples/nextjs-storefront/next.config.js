/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  // The e2e test builds without ESLint installed; types are still checked.
  eslint: { ignoreDuringBuilds: true },
  experimental: {
    // Next 14.2 reuses a dynamic page visited in the last 30 s on client-side
    // navigation: the home page's "for you" would not show the products just
    // viewed. 0 renders it again on every visit.
    staleTimes: { dynamic: 0 },
  },
}
