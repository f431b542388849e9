// Print, as one JSON array, what Node's dotenv parses from each file named on
// the command line; a file it cannot parse becomes {"__error__": message}.
// NODE_PATH must reach the dotenv package that .ci/test-tools.sh installs.
"use strict";
const fs = require("fs");
const dotenv = require("dotenv");

const results = process.argv.slice(2).map((file) => {
  try {
    return dotenv.parse(fs.readFileSync(file));
  } catch (error) {
    return { __error__: String(error.message) };
  }
});
process.stdout.write(JSON.stringify(results));
