// @ts-check
// The JWT and cookie secrets of the dev shop (medusa-config.js). `npm start`
// must work on a fresh machine with nothing set, so there are defaults; they
// are public (in this repository), and a token signed with the JWT one opens
// every admin route. Production refuses them; development says it uses them.

/** The public fallbacks, and Medusa's own ("supersecret", when a config sets none). */
const DEFAULT_SECRETS = { JWT_SECRET: "dev-only-jwt-secret", COOKIE_SECRET: "dev-only-cookie-secret" }
const PUBLIC_VALUES = new Set([...Object.values(DEFAULT_SECRETS), "supersecret"])

/** The NODE_ENV values Medusa's config loader treats as production. */
const PRODUCTION = new Set(["production", "prod"])

/**
 * The secrets to use, from JWT_SECRET and COOKIE_SECRET.
 * @param {Record<string, string | undefined>} env - process.env
 * @param {(message: string) => void} warn - told once when a default is used outside production
 * @returns {{ jwtSecret: string, cookieSecret: string, defaulted: string[] }}
 * @throws {Error} under NODE_ENV=production when a secret is unset or a public default
 */
function resolveDevSecrets(env = process.env, warn = (message) => console.warn(message)) {
  const defaulted = Object.keys(DEFAULT_SECRETS).filter((name) => {
    const value = (env[name] ?? "").trim()
    return value === "" || PUBLIC_VALUES.has(value)
  })
  if (defaulted.length && PRODUCTION.has(env.NODE_ENV ?? "")) {
    throw new Error(
      `Refusing to start with NODE_ENV=${env.NODE_ENV}: ${defaulted.join(" and ")} ${defaulted.length > 1 ? "are" : "is"} unset ` +
        `or a public default, and a token signed with a public JWT secret opens every admin route. ` +
        `Set JWT_SECRET and COOKIE_SECRET to long random values (for example \`openssl rand -hex 32\`).`
    )
  }
  if (defaulted.length) {
    warn(
      `[medusa-config] Warning: ${defaulted.join(" and ")} ${defaulted.length > 1 ? "are" : "is"} not set: using the dev shop's ` +
        `public default${defaulted.length > 1 ? "s" : ""}. Fine for a local demo; anyone who can reach this shop can sign an admin token. ` +
        `Set JWT_SECRET and COOKIE_SECRET for anything else (NODE_ENV=production refuses the defaults).`
    )
  }
  const pick = (name) => (defaulted.includes(name) ? DEFAULT_SECRETS[name] : /** @type {string} */ (env[name]))
  return { jwtSecret: pick("JWT_SECRET"), cookieSecret: pick("COOKIE_SECRET"), defaulted }
}

module.exports = { resolveDevSecrets, DEFAULT_SECRETS }
