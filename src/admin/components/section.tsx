import { Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A titled card like the admin's own detail sections. */
export const Section = ({ title, subtitle, actions, children }: { title: string; subtitle?: string; actions?: ReactNode; children: ReactNode }) => {
  return (
    <Container className="flex flex-col gap-y-4 p-6">
      <div className="flex items-start justify-between gap-x-4">
        <div>
          <Heading level="h2">{title}</Heading>
          {subtitle && (
            <Text size="small" className="text-ui-fg-subtle mt-1">
              {subtitle}
            </Text>
          )}
        </div>
        {actions && <div className="flex shrink-0 items-center gap-x-2">{actions}</div>}
      </div>
      {children}
    </Container>
  )
}

/** Loading / error / empty line inside a section. */
export const Note = ({ children, tone = "subtle" }: { children: ReactNode; tone?: "subtle" | "error" }) => {
  return (
    <Text size="small" className={tone === "error" ? "text-ui-fg-error" : "text-ui-fg-subtle"}>
      {children}
    </Text>
  )
}
