// Runs a command in a process group of its own (this process leads it), and
// ends the group once the process that started this one is gone, however it
// ended: a jest killed by a signal, a timeout or Ctrl-C runs no afterAll, and
// a signal to jest's sandboxed `process` never reaches a test's listeners.
// Usage: node guard.js <command> [args...]
const { spawn } = require("child_process")

const [command, ...args] = process.argv.slice(2)
const parent = process.ppid
const child = spawn(command, args, { stdio: "inherit" })
let ending = false

function endGroup() {
  if (ending) return
  ending = true
  try {
    process.kill(-process.pid, "SIGTERM")
  } catch {
    // the group is gone
  }
  setTimeout(() => {
    try {
      process.kill(-process.pid, "SIGKILL")
    } catch {
      // the group is gone
    }
  }, 10_000).unref()
}

// A SIGTERM to the group (the test stopping this command) reaches the command
// too; this process waits for it to exit, and escalates if it does not.
process.on("SIGTERM", endGroup)
process.on("SIGINT", endGroup)
const watch = setInterval(() => {
  if (process.ppid !== parent) endGroup()
}, 500)
child.on("error", (e) => {
  console.error(`guard: ${command} did not start: ${e.message}`)
  process.exit(127)
})
child.on("exit", (code, signal) => {
  clearInterval(watch)
  process.exit(code ?? (signal ? 128 : 1))
})
