#!/usr/bin/env bash
# Proves that the kata's tests check something. Four checks:
#
#  1. On the untouched stubs, every kata test fails, locked ones included.
#  2. Each exercise file's own tests fail when only that file is a stub and
#     every other file is solved. (Check 1 alone is weak: on untouched stubs
#     every test fails already through step 1's todo!(), whatever it checks.)
#  3. Known wrong answers (the solutions with one classic mistake each, in
#     .ci/wrong-answers.sh) each turn at least one of their step's tests red.
#  4. With the core steps solved and every locked task still a stub, the
#     core tests and the report pass: a locked task disturbs nothing.
#
# Raw cargo output goes to target/integrity.log; this prints only verdicts.
# Exit status: 0 when all four hold.
set -uo pipefail
cd "$(dirname "$0")/.."

log=target/integrity.log
mkdir -p target
: >"$log"
status=0

# Runs the kata tests in DIR matching FILTER (locked ones included) and
# prints one line per test: "ok NAME" or "FAILED NAME".
run_tests() {
  local dir=$1 filter=$2
  shift 2
  (cd "$dir" && cargo test "$@" --test kata -- --include-ignored "$filter") >"$log.last" 2>&1
  cat "$log.last" >>"$log"
  sed -nE 's/^test (.+) \.\.\. (ok|FAILED)$/\2 \1/p' "$log.last"
}

# verdict LABEL RESULTS: every listed test must have failed, and there must be some.
verdict() {
  local label=$1 lines=$2
  local total passed
  total=$(printf '%s\n' "$lines" | grep -c . || true)
  passed=$(printf '%s\n' "$lines" | grep '^ok ' | sed 's/^ok /    /' || true)
  if [ "$total" -eq 0 ]; then
    echo "FAIL  $label: no test ran (did it compile? see $log)"
    status=1
  elif [ -n "$passed" ]; then
    echo "FAIL  $label: these tests pass without the work they check:"
    echo "$passed"
    status=1
  else
    echo "ok    $label: all $total tests fail"
  fi
}

echo "1. untouched stubs"
verdict "every kata test on the stubs" "$(run_tests . '')"

echo "2. one exercise file stubbed, the rest solved"
mix=target/integrity/mix
rm -rf "$mix/src" "$mix/examples" "$mix/exercises" "$mix/solutions" "$mix/tests"
mkdir -p "$mix"
cp -r Cargo.toml Cargo.lock .cargo src examples exercises solutions tests "$mix"/
# The mix builds the same package from another folder. Cargo names the
# artifacts alike for both, and may then take one folder's build for the
# other's: the mix gets a target directory of its own.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/integrity"
for stub in exercises/*.rs; do
  file=$(basename "$stub")
  module=${file%.rs}
  [ "$file" = mod.rs ] && continue
  if [ ! -f "tests/kata/$module.rs" ]; then
    echo "FAIL  $file has no test module tests/kata/$module.rs"
    status=1
    continue
  fi
  cp "$stub" "$mix/solutions/$file"
  verdict "$module's tests with only $file stubbed" \
    "$(run_tests "$mix" "$module::" --features solutions)"
  cp "solutions/$file" "$mix/solutions/$file"
done

echo "3. known wrong answers"
# wrong MODULE "WHAT" OLD NEW [OLD NEW ...]: solutions/MODULE.rs with each OLD
# text replaced by NEW must fail at least one of MODULE's tests.
wrong() {
  local module=$1 what=$2 file="solutions/$1.rs" content
  shift 2
  # Without its comment lines: the solutions carry the exercises' headers and
  # doc comments word for word, which may quote the very code to replace.
  content=$(grep -vE '^[[:space:]]*//[/!]' "$file")
  while [ $# -ge 2 ]; do
    if [[ $content != *"$1"* ]]; then
      echo "FAIL  $module, $what: the text to replace is no longer in $file: $1"
      status=1
      return
    fi
    content=${content/"$1"/"$2"}
    shift 2
  done
  printf '%s\n' "$content" >"$mix/$file"
  local lines
  lines=$(run_tests "$mix" "$module::" --features solutions)
  cp "$file" "$mix/$file"
  local caught
  caught=$(printf '%s\n' "$lines" | grep -c '^FAILED ' || true)
  if [ -z "$lines" ]; then
    echo "FAIL  $module, $what: no test ran (did it compile? see $log)"
    status=1
  elif [ "$caught" -gt 0 ]; then
    echo "ok    $module, $what: caught by $caught of its tests"
  else
    echo "FAIL  $module, $what: no test catches it"
    status=1
  fi
}
# shellcheck source=wrong-answers.sh
source .ci/wrong-answers.sh

echo "4. core steps solved, locked tasks untouched"
core_filter='step'
for stub in exercises/*.rs; do
  file=$(basename "$stub")
  case "$file" in mod.rs | step*) ;; *) cp "$stub" "$mix/solutions/$file" ;; esac
done
lines=$(run_tests "$mix" "" --features solutions)
for stub in exercises/*.rs; do
  file=$(basename "$stub")
  [ "$file" = mod.rs ] || cp "solutions/$file" "$mix/solutions/$file"
done
core=$(printf '%s\n' "$lines" | grep -E "^(ok|FAILED) ($core_filter|report::)" || true)
red=$(printf '%s\n' "$core" | grep '^FAILED ' | sed 's/^FAILED /    /' || true)
if [ -z "$core" ]; then
  echo "FAIL  no core test ran (see $log)"
  status=1
elif [ -n "$red" ]; then
  echo "FAIL  core tests broken by a locked task's stub:"
  echo "$red"
  status=1
else
  echo "ok    all $(printf '%s\n' "$core" | grep -c .) core and report tests pass beside the locked stubs"
fi

rm -f "$log.last"
if [ "$status" -eq 0 ]; then
  echo "integrity: ok (raw output in $log)"
else
  echo "integrity: FAILED (raw output in $log)"
fi
exit "$status"
