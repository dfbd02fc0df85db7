// Build the card bundle (one ES module) into the integration, stamped with
// a hash of everything it is built from, so a test can tell when it is stale.
//   node build.mjs          the bundle
//   node build.mjs --tests  the unit tests, into .build-test/ for node --test
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const OUT = join(HERE, "..", "custom_components", "bambu_cloud", "frontend", "bambu-cloud-cards.js");
// What the bundle is made of; tests/test_frontend_bundle.py hashes the same.
const INPUTS = ["build.mjs", "package-lock.json", "tsconfig.json"];
const INPUT_DIRS = ["src"];

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** sha256 over each input's relative path and bytes, in path order. */
export function sourceHash() {
  const paths = [
    ...INPUTS,
    ...INPUT_DIRS.flatMap((dir) => files(join(HERE, dir)).map((p) => relative(HERE, p))),
  ]
    .map((p) => p.split(sep).join("/"))
    .sort();
  const hash = createHash("sha256");
  for (const path of paths) {
    hash.update(path + "\0");
    hash.update(readFileSync(join(HERE, path)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

if (process.argv.includes("--tests")) {
  rmSync(join(HERE, ".build-test"), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files(join(HERE, "test")).filter((p) => p.endsWith(".test.ts")),
    outdir: join(HERE, ".build-test"),
    bundle: true,
    platform: "node",
    format: "esm",
    outExtension: { ".js": ".mjs" },
    logLevel: "warning",
  });
} else {
  await esbuild.build({
    entryPoints: [join(HERE, "src", "index.ts")],
    outfile: OUT,
    bundle: true,
    format: "esm",
    target: "es2021",
    minify: true,
    legalComments: "eof",
    banner: { js: `// bambu-cloud-cards source-hash: ${sourceHash()}` },
    logLevel: "warning",
  });
}
