// Package load drives load against the login path of a documented login API, with vegeta
// (github.com/tsenart/vegeta/v12) as the engine: a scenario (login or validate) becomes a
// vegeta.Targeter, a --rate becomes a vegeta.Pacer, and every vegeta.Result is judged by
// conform's own success rule (a token came back; the probe accepted the token), not by
// vegeta's 2xx-3xx rule.
//
// Latency is measured from the time a request was scheduled to be sent, not from the moment a
// worker picked it up (coordinated-omission correction, as in wrk2): when the generator or the
// target falls behind, the wait shows up in the percentiles, sends that started late are
// counted, sends that never happened are counted as dropped, and a run whose achieved rate fell
// below 95% of the requested rate is marked not valid.
//
// # Results files
//
// Results are written in vegeta's own gob encoding (vegeta.NewEncoder), one vegeta.Result per
// request, so `vegeta report`, `vegeta plot` and `conform report` read them. conform rewrites
// three fields before writing:
//
//   - Timestamp is the scheduled send time, and Latency runs from it to the end of the answer,
//     so Timestamp+Latency is still the real end and every latency read back is corrected;
//   - Error is set to a "conform: ..." message when the answer was HTTP 2xx/3xx but failed
//     conform's rule (no token, probe rejected), so `vegeta report` lists it among the errors
//     (its success ratio still counts by status code; conform's counts Error == "");
//   - Body and Headers are dropped, to keep files small and tokens out of them.
//
// Attack is the run's name (one per machine, see README.md), with "@RATE" appended per step
// in --find-max runs.
package load
