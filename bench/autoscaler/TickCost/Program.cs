using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Serving;

// One KPA decision tick of a revision grain (src/Grains/Serving/RevisionGrain.Autoscaling.cs, Decide), without the grain:
// the gateway's samples go into the MetricWindow (one per second, so two per 2 s tick), then Snapshot, Decider.Decide and
// ScaleBounds.Apply. The baseline is the same loop doing only the two Record calls. Default config (stable window 60 s,
// panic window 6 s), concurrency metric, CC 0 (target 70), a load that rises and falls between 0 and ~300 so that panic
// mode, scale-down and scale-to-zero paths all run. Usage: TickCost [ticks per measurement] [repeats]
var ticks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

var spec = DeciderSpecBuilder.Build(AutoscalerConfig.Default, null, 0);
var load = new double[4096];
var random = new Random(42);
for (var i = 0; i < load.Length; i++)
{
    // A 4096-tick cycle (~2.3 h of 2 s ticks): idle stretches, a slow wave and noise.
    var wave = Math.Max(0, 150 * Math.Sin(i * 2 * Math.PI / 512) + (i % 1024 < 300 ? 120 : -40));
    load[i] = wave + (random.NextDouble() * 20);
}

var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
var sink = 0L;
var unchanged = 0L;

(double NsPerTick, double BytesPerTick) Measure(bool decide)
{
    var window = new MetricWindow(spec.StableWindow, spec.AggregationAlgorithm);
    var decider = DeciderState.Initial(0, start);
    var bounds = ScaleBoundsState.Initial(spec, start);
    var ready = 1;
    var now = start;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < ticks; i++)
    {
        var value = load[i & (load.Length - 1)];
        window.Record(now.AddSeconds(1), value);
        now = now.AddSeconds(2);
        window.Record(now, value);
        if (!decide)
        {
            continue;
        }

        var snapshot = window.Snapshot(now, spec.StableWindow, spec.PanicWindow);
        var reachable = ScaleBounds.IsReachable(routed: true, failed: false, ready);
        var (decision, next) = Decider.Decide(decider, spec, snapshot, ready, reachable, now);
        decider = next;
        var bounded = ScaleBounds.Apply(bounds, spec, new ScaleBoundsInput
        {
            DesiredScale = decision.DesiredScale,
            ReadyCount = ready,
            Reachable = true,
            Now = now,
        });
        bounds = bounded.Next;
        ready = bounded.Replicas; // instances start instantly here
        sink += bounded.Replicas;
    }

    watch.Stop();
    var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
    return (watch.Elapsed.TotalNanoseconds / ticks, (double)bytes / ticks);
}

// Warm-up: tiered JIT and PGO reach their final code before anything is measured.
for (var i = 0; i < 3; i++)
{
    Measure(decide: true);
    Measure(decide: false);
}

// What the revision grain does on every tick besides the decision when nothing changed (RevisionGrain.Scaling.cs,
// UpdateStatusAsync): rebuild the conditions and compare them, and the bounds state, with the stored ones (by value:
// record equality). Measured separately to explain the grain's per-tick cost.
(double Ns, double Bytes) MeasureStatusCompare(int count)
{
    var now = start;
    var active = ActiveCondition.Initial(now).MarkActive(now);
    var facts = new RevisionFacts(1, 1, true, null, null, active);
    var stored = RevisionConditions.Build(null, facts, now);
    var bounds = ScaleBoundsState.Initial(spec, now) with { Active = active, Initialized = true };
    var storedBounds = bounds with { };
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var conditions = RevisionConditions.Build(stored, facts, now.AddSeconds(2 * i));
        unchanged += conditions.SequenceEqual(stored) && Equals(bounds, storedBounds) ? 1 : 0;
    }

    watch.Stop();
    return (watch.Elapsed.TotalNanoseconds / count, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / count);
}

var compareCount = Math.Max(5000, ticks / 50);
MeasureStatusCompare(compareCount);
var compare = Enumerable.Range(0, repeats).Select(_ => MeasureStatusCompare(compareCount)).ToList();

var tick = new List<(double Ns, double Bytes)>();
var record = new List<(double Ns, double Bytes)>();
for (var r = 0; r < repeats; r++)
{
    tick.Add(Measure(decide: true));
    record.Add(Measure(decide: false));
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

var tickNs = Median(tick.Select(t => t.Ns));
var recordNs = Median(record.Select(t => t.Ns));
Console.WriteLine(JsonSerializer.Serialize(new
{
    ticks_per_measurement = ticks,
    repeats,
    tick_ns = Math.Round(tickNs, 1),
    tick_ns_runs = tick.Select(t => Math.Round(t.Ns, 1)),
    tick_bytes_allocated = Math.Round(Median(tick.Select(t => t.Bytes)), 1),
    baseline_record_only_ns = Math.Round(recordNs, 1),
    baseline_record_only_ns_runs = record.Select(t => Math.Round(t.Ns, 1)),
    tick_over_record_only = Math.Round(tickNs / recordNs, 2),
    decision_only_ns = Math.Round(tickNs - recordNs, 1),
    ticks_per_core_second = Math.Round(1e9 / tickNs),
    grain_status_compare_ns = Math.Round(Median(compare.Select(c => c.Ns)), 1),
    grain_status_compare_bytes_allocated = Math.Round(Median(compare.Select(c => c.Bytes)), 1),
    grain_status_compare_found_unchanged = unchanged == (long)compareCount * (repeats + 1),
    checksum = sink,
}, new JsonSerializerOptions { WriteIndented = true }));
