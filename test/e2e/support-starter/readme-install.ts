/** The README's marker pair around the install commands the starter-shop test runs. */
export const BEGIN = "<!-- install-commands -->"
export const END = "<!-- /install-commands -->"

/**
 * The shell commands of the README's install section, in order: every line of
 * the ```bash blocks between the markers, without comments and blank lines.
 * The starter-shop test compares them with the commands it runs, so the
 * README cannot drift from what was proven.
 */
export function installCommands(readme: string): string[] {
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END, start)
  if (start < 0 || end < 0) throw new Error(`README.md has no ${BEGIN} … ${END} section`)
  const section = readme.slice(start + BEGIN.length, end)
  const commands: string[] = []
  for (const [, block] of section.matchAll(/```bash\n([\s\S]*?)```/g)) {
    for (const line of block.split("\n")) {
      const command = line.replace(/(^|\s)#.*$/, "").trim()
      if (command) commands.push(command)
    }
  }
  return commands
}

/** The text of the section between the markers (for snippets the test applies). */
export function installSection(readme: string): string {
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END, start)
  if (start < 0 || end < 0) throw new Error(`README.md has no ${BEGIN} … ${END} section`)
  return readme.slice(start + BEGIN.length, end)
}
