import type { Command } from 'commander'
import { CliError, clientFromEnv, EXIT, print, printJson } from './partner-commands.js'

/**
 * The issuer's corrections on the `credport` binary: `withdraw <id>` (a submission the holder has
 * not decided) and `revoke <credential-id> --reason …` (a credential they accepted). Through the
 * SDK, like the other partner commands; exit codes as theirs (README, "Partner commands").
 */
export function addCorrectionCommands(program: Command): void {
  program
    .command('withdraw')
    .description('withdraw a submission the holder has not decided: canceled, its data and documents deleted')
    .argument('<id>', 'your id of the submission (v1 id or v2 credential_id)')
    .option('--json', 'print its status as one JSON object')
    .action(async (id: string, options: { json?: boolean }) => {
      const status = await clientFromEnv().withdraw(id)
      if (options.json) printJson(status)
      else print(`${status.id}  ${status.status}  finalized ${status.finalized_at}`)
    })

  program
    .command('revoke')
    .description('revoke a credential the holder accepted; the wallet and share pages show it revoked')
    .argument('<credential-id>', 'your id of the credential (v2 credential_id, v1 batch item id)')
    .requiredOption('--reason <text>', 'why, in plain text (1 to 500 characters): the holder and verifiers read it')
    .option('--json', 'print the revocation as one JSON object')
    .action(async (credentialId: string, options: { reason: string; json?: boolean }) => {
      const reason = options.reason.trim()
      if (reason.length === 0 || [...reason].length > 500)
        throw new CliError('--reason takes 1 to 500 characters of text', EXIT.usage)
      const revocation = await clientFromEnv().revoke(credentialId, reason)
      if (options.json) printJson(revocation)
      else print(`${revocation.credential_id}  revoked ${revocation.revoked_at}  reason: ${revocation.reason}`)
    })
}
