import { Text } from "@medusajs/ui"

/** A labelled value in a summary grid; the hint shows on hover. */
export const Fact = ({ label, value, hint }: { label: string; value: string; hint?: string }) => {
  return (
    <div className="min-w-0">
      <Text size="xsmall" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" weight="plus" className="truncate" title={hint ?? value}>
        {value}
      </Text>
    </div>
  )
}
