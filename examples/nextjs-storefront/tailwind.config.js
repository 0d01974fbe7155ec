/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./src/**/*.{ts,tsx}"],
  theme: {
    extend: {
      // The class names the Medusa starter's components use (its @medusajs/ui
      // preset), so its snippets render the same here.
      screens: { small: "1024px" },
      colors: {
        "ui-fg-base": "#111827",
        "ui-fg-subtle": "#4b5563",
        "ui-fg-muted": "#9ca3af",
        "ui-bg-subtle": "#f3f4f6",
        "ui-border-base": "#e5e7eb",
      },
      fontSize: {
        "small-regular": ["0.8125rem", "1.25rem"],
        "base-regular": ["0.875rem", "1.5rem"],
        "large-semi": ["1.25rem", { lineHeight: "1.75rem", fontWeight: "600" }],
      },
    },
  },
}
