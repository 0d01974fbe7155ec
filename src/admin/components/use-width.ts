import { useEffect, useState } from "react"

/**
 * The rendered width of an element, kept up to date. Charts draw at this width
 * so their text stays at its real size instead of scaling with the viewBox.
 * `ref` is a callback ref, so a remounted element is observed too.
 */
export const useWidth = <T extends HTMLElement>(fallback: number) => {
  const [el, ref] = useState<T | null>(null)
  const [width, setWidth] = useState(fallback)
  useEffect(() => {
    if (!el) return
    const update = () => setWidth(el.clientWidth > 0 ? Math.max(200, Math.round(el.clientWidth)) : fallback)
    update()
    const observer = new ResizeObserver(update)
    observer.observe(el)
    return () => observer.disconnect()
  }, [el, fallback])
  return { ref, width }
}
