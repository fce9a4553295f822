// The `token007` executable: runs main() for this process and sets its exit code.
import process from 'node:process'
import { EXIT } from './command.js'
import { main } from './main.js'
import { processIo } from './process-io.js'

// A reader that goes away (`token007 … | head -1`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok)
  throw err
})

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code
})
