#!/usr/bin/env bash
# The test command (`deno task test`): starts the services the tests need, runs the project
# checks and every Deno test in the repository, and ends with one line `N passed, M failed`
# counted from the real results (each check counts as one test). Exits non-zero when anything
# failed.
#
# Usage: bash .ci/test.sh           full run: services, checks, all tests
#        bash .ci/test.sh --unit    quick loop: no services, no checks, no *_integration_test.ts
# Env:   CI=true          a service that fails to start fails the run
#        KEEP_SERVICES=1  leave the services running afterwards
#        CI_STARTED_AT    epoch seconds when .ci/run started (for the duration line)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
export PATH="${ROOT}/node_modules/.bin:${PATH}"
export NO_COLOR=1
DENO="${ROOT}/node_modules/.bin/deno"
[[ -x "${DENO}" ]] || DENO="$(command -v deno || true)"
[[ -n "${DENO}" ]] || { echo "deno not found: run npm ci first"; echo "0 passed, 1 failed"; exit 1; }

mode=full
[[ "${1:-}" == "--unit" ]] && mode=unit
started=$(date +%s)
LOG_DIR="${ROOT}/.data/ci"
mkdir -p "${LOG_DIR}"
LOG="${LOG_DIR}/test.log"
: >"${LOG}"

passed=0
failed=0
skipped=0
failures=()

note() { echo "[ci] $*" | tee -a "${LOG}"; }

# check NAME COMMAND...: runs one check, counts it, shows its output only when it failed.
check() {
  local name=$1 out="${LOG_DIR}/check-${1//[^a-z0-9]/-}.log"
  shift
  local t0=${SECONDS}
  if "$@" >"${out}" 2>&1; then
    passed=$((passed + 1))
    note "check ${name}: ok ($((SECONDS - t0))s)"
  else
    failed=$((failed + 1))
    failures+=("check ${name}")
    note "check ${name}: FAILED ($((SECONDS - t0))s); output:"
    if [[ $(wc -l <"${out}") -le 60 ]]; then
      sed 's/^/    /' "${out}"
    else
      head -n 40 "${out}" | sed 's/^/    /'
      echo "    ... ($(wc -l <"${out}") lines in all, in ${out})"
      tail -n 15 "${out}" | sed 's/^/    /'
    fi
  fi
  cat "${out}" >>"${LOG}"
}

stop_services() {
  if [[ "${mode}" == full && "${KEEP_SERVICES:-}" != 1 ]]; then
    note "stopping services"
    bash deploy/down.sh >>"${LOG}" 2>&1 || note "deploy/down.sh failed (see ${LOG})"
  fi
}
trap stop_services EXIT

# --- services ---------------------------------------------------------------------------------
if [[ "${mode}" == full ]]; then
  note "starting services (bash deploy/up.sh)"
  if addresses="$(bash deploy/up.sh 2> >(tee -a "${LOG}" >&2))"; then
    # up.sh prints NAME=value lines (e.g. KAFKA_BROKERS=127.0.0.1:9092): hand them to the tests.
    while IFS= read -r line; do
      if [[ "${line}" =~ ^[A-Z][A-Z0-9_]*= ]]; then
        export "${line?}"
        note "service: ${line}"
      fi
    done <<<"${addresses}"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("services: deploy/up.sh failed")
    if [[ "${CI:-}" == true ]]; then
      note "deploy/up.sh failed: under CI=true that fails the run"
    else
      note "deploy/up.sh failed: integration tests will fail (outside CI, the run goes on)"
    fi
  fi
fi

# Test tools: grpcurl for the reflection tests (built once from the Go module proxy).
if [[ "${mode}" == full ]]; then
  if grpcurl_path="$(bash deploy/tools/grpcurl.sh 2> >(tee -a "${LOG}" >&2))"; then
    export PATH="$(dirname "${grpcurl_path}"):${PATH}"
    note "tool: ${grpcurl_path}"
  else
    note "grpcurl could not be installed: the reflection test will fail under CI=true"
  fi
fi

# --- project checks ---------------------------------------------------------------------------
generated_code_matches() {
  local tmp
  tmp="$(mktemp -d)"
  cp -r proto buf.yaml buf.gen.yaml "${tmp}/"
  ln -s "${ROOT}/node_modules" "${tmp}/node_modules"
  (cd "${tmp}" && buf generate) &&
    "${DENO}" fmt --config "${ROOT}/deno.json" "${tmp}/proto/gen" &&
    diff -r "${ROOT}/proto/gen" "${tmp}/proto/gen"
  local status=$?
  rm -rf "${tmp}"
  [[ ${status} -eq 0 ]] || echo "proto/gen differs from what 'deno task gen' makes: run it and commit the result"
  return ${status}
}

breaking_against_previous_commit() {
  if ! git rev-parse --verify -q HEAD~1 >/dev/null; then
    echo "no previous commit (shallow or first commit): nothing to compare"
    return 0
  fi
  if ! git cat-file -e HEAD~1:buf.yaml 2>/dev/null; then
    echo "the previous commit has no buf.yaml: nothing to compare"
    return 0
  fi
  buf breaking --against "${ROOT}/.git#ref=HEAD~1"
}

breaking_against_baseline() {
  [[ -f proto/breaking/baseline.binpb ]] ||
    { echo "proto/breaking/baseline.binpb missing: run 'deno task breaking:baseline' and commit it"; return 1; }
  # Image against image: the workspace has two modules (ours and the vendored protos), and buf
  # compares a workspace only with another workspace, so both sides are images of proto/analytics.
  local current status
  current="$(mktemp --suffix=.binpb)"
  buf build --path proto/analytics -o "${current}" &&
    buf breaking "${current}" --against proto/breaking/baseline.binpb --exclude-imports
  status=$?
  rm -f "${current}"
  return ${status}
}

# Dependency audit (.ci/npm_audit.ts): a high or critical advisory of a runtime dependency fails;
# an audit endpoint that refuses or does not answer in time is counted as skipped, with the reason.
dependency_audit() {
  local out="${LOG_DIR}/check-npm-audit.log" status
  "${DENO}" run --allow-run=npm --allow-read .ci/npm_audit.ts 90 >"${out}" 2>&1
  status=$?
  cat "${out}" >>"${LOG}"
  if [[ ${status} -eq 0 ]]; then
    passed=$((passed + 1))
    note "check npm audit: ok: $(tail -n 1 "${out}")"
  elif [[ ${status} -eq 3 ]]; then
    skipped=$((skipped + 1))
    note "check npm audit: SKIPPED (not passed): $(tail -n 1 "${out}")"
  else
    failed=$((failed + 1))
    failures+=("check npm audit")
    note "check npm audit: FAILED; output:"
    sed 's/^/    /' "${out}" | head -n 40
  fi
}

if [[ "${mode}" == full ]]; then
  check "deno fmt" "${DENO}" fmt --check
  check "deno lint" "${DENO}" lint
  check "deno check" "${DENO}" check
  check "buf lint" buf lint
  check "generated code" generated_code_matches
  check "buf breaking vs HEAD~1" breaking_against_previous_commit
  check "buf breaking vs baseline" breaking_against_baseline
  check "licences" "${DENO}" run --allow-read .ci/licenses.ts package-lock.json
  dependency_audit
  # A short run of every benchmark scenario against the real services, so the bench cannot rot.
  check "bench smoke" "${DENO}" run -A bench/main.ts --smoke
fi

# --- tests ------------------------------------------------------------------------------------
test_args=(test -A --no-prompt)
[[ "${mode}" == unit ]] && test_args+=(--ignore='**/*_integration_test.ts')
note "running: deno ${test_args[*]}"
# Bounded, so a hung test fails the run in time instead of eating CI's 90 minutes.
TEST_TIMEOUT_S="${TEST_TIMEOUT_S:-1800}"
timeout --kill-after=30 "${TEST_TIMEOUT_S}" "${DENO}" "${test_args[@]}" 2>&1 |
  tee "${LOG_DIR}/deno-test.log" | tee -a "${LOG}"
deno_status=${PIPESTATUS[0]}

summary="$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "${LOG_DIR}/deno-test.log" | tail -n 1)"
if [[ -n "${summary}" ]]; then
  [[ "${summary}" =~ ([0-9]+)\ passed ]] && passed=$((passed + BASH_REMATCH[1]))
  [[ "${summary}" =~ ([0-9]+)\ failed ]] && failed=$((failed + BASH_REMATCH[1]))
  [[ "${summary}" =~ ([0-9]+)\ ignored ]] && skipped=$((skipped + BASH_REMATCH[1]))
  [[ "${summary}" =~ ^FAILED ]] && failures+=("deno test: ${summary}")
  if [[ ${deno_status} -ne 0 && "${summary}" =~ ^ok ]]; then
    failed=$((failed + 1))
    failures+=("deno test exited ${deno_status} after reporting ok")
  fi
else
  failed=$((failed + 1))
  if [[ ${deno_status} -eq 124 || ${deno_status} -eq 137 ]]; then
    failures+=("deno test did not finish within ${TEST_TIMEOUT_S}s (a test hung): see ${LOG_DIR}/deno-test.log")
  else
    failures+=("deno test crashed or did not compile (exit ${deno_status}): see ${LOG_DIR}/deno-test.log")
  fi
fi

# --- closing ----------------------------------------------------------------------------------
stop_services
trap - EXIT
for f in "${failures[@]}"; do note "failed: ${f}"; done
if [[ -n "${CI_STARTED_AT:-}" ]]; then
  note "duration: $(($(date +%s) - CI_STARTED_AT))s since .ci/run started ($(($(date +%s) - started))s of tests)"
else
  note "duration: $(($(date +%s) - started))s"
fi
# Skipped and ignored ones get a line of their own: the last line is exactly `N passed, M failed`.
[[ ${skipped} -gt 0 ]] && note "skipped or ignored (not counted as passed): ${skipped}"
echo "${passed} passed, ${failed} failed" | tee -a "${LOG}"
[[ ${failed} -eq 0 ]]
