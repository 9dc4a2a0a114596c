/**
 * `deno task train [--profile P] [--corpus NAME|PATH] [--run NAME] [--resume|--fresh] [--set key=value …]`:
 * trains a profile (see lib/train/profiles/) into outputs/<run>/. Without `--profile`, the default profile,
 * the one `reproduce` and the notebooks train too (lib/train/profiles/choose.ts's `defaultProfile`:
 * `NER_PROFILE`, else `biobert` when BioBERT's weights are on this machine, else `bilstm-crf`). `--corpus`
 * trains on another corpus than the profile's (a registry name or a folder/file of CoNLL or HF parquet split
 * files, lib/corpus/registry.ts; its label set comes from its data) into outputs/<profile>-<corpus>/ by
 * default. Progress goes to stderr; the last stdout line is the run's metrics as JSON.
 *
 *     deno task train --corpus ~/my-corpus                      # the default profile (bilstm-crf here)
 *     deno task train --profile bilstm-crf --corpus bc2gm      # outputs/bilstm-crf-bc2gm/
 *     deno task train --profile bilstm-crf --corpus ~/my-corpus # train.tsv, dev.tsv, test.tsv there
 *     deno task train --profile bilstm-crf --corpus bc5cdr,bionlp13cg # one model, a head per corpus
 *     deno task train --profile cpu-small
 *     deno task train --profile biobert --set model.source=/models/biobert-base-cased-v1.1
 *     deno task train --profile cpu-small --resume          # after an interruption
 *     deno task train --profile cpu-small --fresh           # start over, deleting the earlier session's work
 *
 * @module
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { CORPORA } from "../corpus/registry.ts";
import { chosenCorpus, runNameFor } from "../corpus/names.ts";
import { defaultProfile, loadProfile, PROFILE_NAMES, trainProfile } from "../train/mod.ts";
import { RunExistsError } from "../train/run/resume.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";
import { checkOutputDir } from "../util/destination.ts";

const USAGE = `usage: deno task train [--profile ${
  PROFILE_NAMES.join("|")
}|FILE.json] [--corpus NAME|PATH] [--run NAME]
                       [--outputs DIR] [--resume|--fresh] [--quiet] [--set key=value]…
  --profile P       the training profile; default: the one \`deno task reproduce\` and the notebooks train,
                    NER_PROFILE if set, else biobert when BioBERT's weights are on this machine (fine-tuning
                    them is the point), else bilstm-crf (the best model that trains without them)
  --corpus C        train on corpus C: ${Object.keys(CORPORA).join(", ")}, or a folder of CoNLL/parquet
                    split files (train.*, dev.*|devel.*, test.*); the run is named <profile>-<corpus>
                    C1,C2,…: multi-corpus training (word-level profiles): one shared encoder, a head per
                    corpus; outputs/<run>/best/<corpus>/ and a run per corpus, outputs/<run>.<corpus>/
  --resume          continue the run from its checkpoint
  --fresh           delete what an earlier session of the run left (checkpoint, best model) and start over;
                    without --resume or --fresh, a run folder holding those is refused
  --set key=value   override a profile value (dotted keys; value parsed as JSON when it is JSON),
                    e.g. --set epochs=2 --set model.source=/models/biobert`;

/**
 * Parses `--set key=value` pairs into an overrides object; values are JSON when they parse as JSON.
 *
 * @example
 * ```ts
 * parseOverrides(["epochs=2", "model.source=/m"]); // { epochs: 2, "model.source": "/m" }
 * ```
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--set ${pair}: expected key=value`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: a plain string such as a path.
    }
    overrides[pair.slice(0, eq)] = value;
  }
  return overrides;
}

/**
 * Runs the command with `args`; returns the exit code (lib/util/exit_error.ts). A run folder holding an earlier
 * session's checkpoint or best model needs `--resume` or `--fresh`: without either the command refuses and
 * prints both commands.
 */
export function main(argv: string[]): Promise<number> {
  return runCommand("train", async () => {
    const args = parseArgs({
      args: argv,
      options: {
        profile: { type: "string" },
        corpus: { type: "string" },
        run: { type: "string" },
        outputs: { type: "string" },
        resume: { type: "boolean", default: false },
        fresh: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        set: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
    if (args.help) {
      const choice = await defaultProfile();
      console.log(`${USAGE}\ndefault profile here: ${choice.name} (${choice.reason})`);
      return 0;
    }
    if (args.resume && args.fresh) {
      throw new ExitError("give --resume or --fresh, not both", EXIT_CODES.usage);
    }
    const corpus = args.corpus === undefined ? undefined : chosenCorpus(args.corpus);
    const chosen = args.profile === undefined ? await defaultProfile() : undefined;
    if (chosen) console.error(`[train] profile ${chosen.name} (default: ${chosen.reason})`);
    const profile = args.profile ?? chosen!.name;
    const overrides = {
      ...chosen?.overrides,
      ...(corpus ? { data: corpus } : {}),
      ...parseOverrides(args.set),
    };
    if (args.outputs !== undefined) await checkOutputDir(args.outputs);
    try {
      const { metrics } = await trainProfile({
        profile,
        overrides,
        run: args.run ??
          (corpus
            ? runNameFor(basename(profile, ".json"), corpus, (await loadProfile(profile)).data)
            : undefined),
        outputsDir: args.outputs,
        resume: args.resume ? true : args.fresh ? false : undefined,
        quiet: args.quiet,
      });
      console.log(JSON.stringify(metrics));
      return 0;
    } catch (error) {
      if (!(error instanceof RunExistsError)) throw error;
      // The two commands to choose from, as this one was typed.
      const command = ["deno task train", ...argv].join(" ");
      throw new ExitError(
        `${error.dir} holds ${error.found} of an earlier session: \`${command} --resume\` continues it; ` +
          `\`${command} --fresh\` deletes it and starts over`,
        EXIT_CODES.failed,
      );
    }
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
