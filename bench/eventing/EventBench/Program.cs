// bench/eventing driver. Usage (run.sh passes everything):
//   EventBench run --admin URL --token T --gateway URL --label NAME [--duration 10] [--rate 2000] [--warmup 5] [--wrk-lua FILE]
//   [--triggers 0,1,10]
// Starts its own sink (Kestrel) and a bare Kestrel 202 endpoint (the baseline), creates brokers and triggers through the
// admin API, warms each target up (wrk for --warmup seconds, not measured: JIT, tiered compilation, connection pools,
// grain activations), drives load with wrk (peak, closed loop) and with an open-loop generator (fixed rate), and prints
// one JSON object with the results.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;

var opts = Args.Parse(args);
var duration = int.Parse(opts.Get("duration", "10"), CultureInfo.InvariantCulture);
var rate = int.Parse(opts.Get("rate", "2000"), CultureInfo.InvariantCulture);
var warmup = int.Parse(opts.Get("warmup", "5"), CultureInfo.InvariantCulture);
var admin = opts.Get("admin");
var gateway = opts.Get("gateway").TrimEnd('/');
var lua = opts.Get("wrk-lua");
var label = opts.Get("label", "embedded");
var siloPid = int.Parse(opts.Get("silo-pid"), CultureInfo.InvariantCulture);
var phases = opts.Get("triggers", "0,1,10").Split(',').Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100
    ? n : throw new ArgumentException($"--triggers (TRIGGERS=): \"{t}\" is not a trigger count from 0 to 100; expected e.g. 0,1,10")).ToList();

await using var sink = await Sink.StartAsync(200);
await using var bare = await Sink.StartAsync(202);
using var http = new HttpClient { BaseAddress = new Uri(admin) };
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", opts.Get("token"));
var result = new JsonObject { ["store"] = label, ["duration_s"] = duration, ["warmup_s"] = warmup, ["machine"] = Machine.Describe() };

// Baseline: the same wrk load against a bare Kestrel endpoint that answers 202 (after the same warm-up).
await Wrk.RunAsync(lua, bare.Url + "/bench/base", warmup);
var selfCpu = Cpu.Seconds(Environment.ProcessId);
var baseline = await Wrk.RunAsync(lua, bare.Url + "/bench/base", duration);
result["baseline_bare_kestrel_rps"] = baseline.Rps;
result["baseline_cpu_us_per_request"] = Math.Round((Cpu.Seconds(Environment.ProcessId) - selfCpu) * 1e6 / (baseline.Ok + baseline.Non2xx), 1);
result["raw_sqlite_fsync_commits_per_s"] = RawSqlite.CommitsPerSecond(Path.Combine(Path.GetTempPath(), "evbench-" + Guid.NewGuid().ToString("N")), 3);

// 0: ingress alone (the store, no delivery); --triggers 10 runs one phase only
foreach (var triggers in phases)
{
    var ns = "bench" + triggers;
    await Admin.CreateAsync(http, $"/apis/eventing.knative.dev/v1/namespaces/{ns}/brokers", """{"apiVersion":"eventing.knative.dev/v1","kind":"Broker","metadata":{"name":"default"}}""");
    for (var t = 0; t < triggers; t++)
    {
        await Admin.CreateAsync(http, $"/apis/eventing.knative.dev/v1/namespaces/{ns}/triggers",
            "{\"apiVersion\":\"eventing.knative.dev/v1\",\"kind\":\"Trigger\",\"metadata\":{\"name\":\"t" + t + "\"},\"spec\":{\"broker\":\"default\",\"subscriber\":{\"uri\":\"" + sink.Url + "/t" + t + "\"},\"delivery\":{\"retry\":3,\"backoffDelay\":\"PT0.1S\"}}}");
    }

    await Task.Delay(1000); // triggers activate (their first resync tick is 50 ms after activation)
    var phase = new JsonObject();

    // Warm-up (not measured), then let its deliveries drain so they do not count in the peak phase.
    sink.Reset();
    Phase.Mark($"{triggers} triggers: warm-up");
    var warm = await Wrk.RunAsync(lua, $"{gateway}/{ns}/default", warmup);
    phase["warmup_all_delivered"] = await sink.WaitForAsync((long)warm.Ok * triggers, TimeSpan.FromSeconds(120));
    phase["warmup_accepted_per_s"] = warm.Ok / Math.Max(warm.Seconds, 0.001);

    // Peak: wrk closed loop; accepted = 2xx answers (202), then every accepted event must reach every trigger's subscriber.
    sink.Reset();
    var siloCpu = Cpu.Seconds(siloPid);
    Phase.Mark($"{triggers} triggers: peak");
    var peak = await Wrk.RunAsync(lua, $"{gateway}/{ns}/default", duration);
    var expected = (long)peak.Ok * triggers;
    var drained = await sink.WaitForAsync(expected, TimeSpan.FromSeconds(120));
    phase["peak_silo_cpu_us_per_event"] = Math.Round((Cpu.Seconds(siloPid) - siloCpu) * 1e6 / peak.Ok, 1);
    phase["peak_accepted_per_s"] = peak.Ok / peak.Seconds;
    phase["peak_non2xx"] = peak.Non2xx;
    phase["peak_ingress_p50_ms"] = peak.P50Ms;
    phase["peak_ingress_p99_ms"] = peak.P99Ms;
    phase["peak_delivered"] = sink.Count;
    phase["peak_expected_deliveries"] = expected;
    phase["peak_all_delivered"] = drained;
    phase["peak_deliveries_per_s"] = sink.DeliveriesPerSecond;
    phase["peak_vs_baseline"] = Math.Round(peak.Ok / peak.Seconds / baseline.Rps, 3);

    // Fixed rate: open loop at `rate` events/s; latency = delivery time - knativearrivaltime (stamped at ingress).
    sink.Reset(countFrom: DateTimeOffset.UtcNow); // deliveries of earlier events (retries) are not this phase's
    siloCpu = Cpu.Seconds(siloPid);
    var benchPause = GC.GetTotalPauseDuration(); // this process's own pauses delay the sink's clock reading too
    Phase.Mark($"{triggers} triggers: fixed rate");
    var fixedRun = await OpenLoop.RunAsync($"{gateway}/{ns}/default", rate, duration);
    var fixedDrained = await sink.WaitForAsync((long)fixedRun.Accepted * triggers, TimeSpan.FromSeconds(120));
    phase["fixed_silo_cpu_us_per_event"] = Math.Round((Cpu.Seconds(siloPid) - siloCpu) * 1e6 / Math.Max(fixedRun.Accepted, 1), 1);
    var lat = sink.Latencies();
    phase["fixed_late_from_earlier_phases"] = sink.Earlier;
    phase["fixed_worst_seconds"] = new JsonArray([.. sink.WorstSeconds(3).Select(s => JsonValue.Create(s))]);
    phase["fixed_bench_gc_pause_ms"] = Math.Round((GC.GetTotalPauseDuration() - benchPause).TotalMilliseconds, 1);
    phase["fixed_offered_per_s"] = rate;
    phase["fixed_accepted"] = fixedRun.Accepted;
    phase["fixed_rejected"] = fixedRun.Rejected;
    phase["fixed_ingress_p50_ms"] = fixedRun.P50Ms;
    phase["fixed_ingress_p99_ms"] = fixedRun.P99Ms;
    phase["fixed_all_delivered"] = fixedDrained;
    phase["fixed_delivery_p50_ms"] = Stats.Percentile(lat, 50);
    phase["fixed_delivery_p99_ms"] = Stats.Percentile(lat, 99);
    phase["fixed_delivery_max_ms"] = lat.Length == 0 ? 0 : lat[^1];
    result["triggers_" + triggers] = phase;
}

result["machine_end"] = Machine.Describe(); // the load average at the end too: other work on the machine lowers every number
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;

/// <summary>
/// With <c>PHASE_FILE=path</c> in the environment, each load phase appends "start UTC, name" there when it starts, so a
/// profiler can be attached to the silo for one phase (e.g. wait for "10 triggers: fixed rate", then perf record).
/// </summary>
internal static class Phase
{
    public static void Mark(string name)
    {
        if (Environment.GetEnvironmentVariable("PHASE_FILE") is { Length: > 0 } path)
        {
            File.AppendAllText(path, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) + " " + name + "\n");
        }
    }
}

/// <summary><c>--key value</c> pairs.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = [];

    public static Args Parse(string[] args)
    {
        var a = new Args();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            a._values[args[i].TrimStart('-')] = args[i + 1];
        }

        return a;
    }

    public string Get(string key, string? fallback = null) =>
        _values.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException("missing --" + key);
}

/// <summary>A Kestrel endpoint answering every POST with a fixed status; records ingress-to-delivery latency.</summary>
internal sealed class Sink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _lock = new();
    private List<double> _latencies = new(1 << 20);
    private List<DateTimeOffset> _arrivals = new(1 << 20);
    private DateTimeOffset _countFrom = DateTimeOffset.MinValue;
    private long _earlier;
    private long _count;
    private long _firstTicks;
    private long _lastTicks;

    private Sink(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public long Count => Interlocked.Read(ref _count);

    public double DeliveriesPerSecond
    {
        get
        {
            var span = (Interlocked.Read(ref _lastTicks) - Interlocked.Read(ref _firstTicks)) / (double)Stopwatch.Frequency;
            return span <= 0 ? 0 : Math.Round(Count / span, 1);
        }
    }

    public static async Task<Sink> StartAsync(int status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var sink = new Sink(app);
        var buffer = new byte[64 * 1024];
        app.Run(async context =>
        {
            var now = DateTimeOffset.UtcNow;
            var ticks = Stopwatch.GetTimestamp();
            await context.Request.Body.CopyToAsync(Stream.Null);
            if (context.Request.Headers.TryGetValue("ce-knativearrivaltime", out var arrival)
                && DateTimeOffset.TryParse(arrival.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                lock (sink._lock)
                {
                    if (at < sink._countFrom)
                    {
                        sink._earlier++; // an event of an earlier phase (a retry after its drain was counted)
                        context.Response.StatusCode = status;
                        return;
                    }

                    sink._latencies.Add((now - at).TotalMilliseconds);
                    sink._arrivals.Add(at);
                }
            }

            Interlocked.CompareExchange(ref sink._firstTicks, ticks, 0);
            Interlocked.Exchange(ref sink._lastTicks, ticks);
            Interlocked.Increment(ref sink._count);
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        sink.Url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return sink;
    }

    /// <summary>Deliveries of events that arrived before the last <see cref="Reset"/>'s <c>countFrom</c> (not in the latencies).</summary>
    public long Earlier
    {
        get
        {
            lock (_lock)
            {
                return _earlier;
            }
        }
    }

    /// <summary>Starts counting again; with <paramref name="countFrom"/>, latencies only of events that arrived since.</summary>
    public void Reset(DateTimeOffset? countFrom = null)
    {
        lock (_lock)
        {
            _countFrom = countFrom ?? DateTimeOffset.MinValue;
            _earlier = 0;
            _latencies = new List<double>(1 << 20);
            _arrivals = new List<DateTimeOffset>(1 << 20);
        }

        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _firstTicks, 0);
        Interlocked.Exchange(ref _lastTicks, 0);
    }

    public double[] Latencies()
    {
        lock (_lock)
        {
            var copy = _latencies.ToArray();
            Array.Sort(copy);
            return copy;
        }
    }

    /// <summary>
    /// The <paramref name="count"/> seconds (by arrival time, UTC) with the slowest deliveries: "HH:mm:ss max N ms, M over
    /// 20 ms", so a latency spike can be matched with what the silo or the machine did then.
    /// </summary>
    public string[] WorstSeconds(int count)
    {
        lock (_lock)
        {
            return [.. _latencies.Zip(_arrivals)
                .GroupBy(p => p.Second.ToString("HH:mm:ss", CultureInfo.InvariantCulture))
                .Select(g => (Second: g.Key, Max: g.Max(p => p.First), Over: g.Count(p => p.First > 20)))
                .OrderByDescending(s => s.Max)
                .Take(count)
                .Select(s => $"{s.Second} max {s.Max:F1} ms, {s.Over} over 20 ms")];
        }
    }

    public async Task<bool> WaitForAsync(long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

internal static class Stats
{
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)], 2);
}

internal static class Admin
{
    public static async Task CreateAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>wrk, 2 threads, 64 connections, posting binary-mode CloudEvents with unique ids (bench/eventing/ce.lua).</summary>
internal static class Wrk
{
    public sealed record Result(double Rps, double Ok, double Non2xx, double Seconds, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(string lua, string url, int seconds)
    {
        var info = new ProcessStartInfo("wrk", ["-t2", "-c64", $"-d{seconds}s", "--latency", "-s", lua, url]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double Match(string pattern) => System.Text.RegularExpressions.Regex.Match(output, pattern) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        double Ms(string pct)
        {
            var m = System.Text.RegularExpressions.Regex.Match(output, $@"\s{pct}%\s+([\d.]+)(us|ms|s)");
            if (!m.Success)
            {
                return 0;
            }

            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }

        var requests = Match(@"(\d+) requests in");
        var elapsed = Match(@"requests in ([\d.]+)s");
        var non2xx = Match(@"Non-2xx or 3xx responses: (\d+)");
        var errors = System.Text.RegularExpressions.Regex.Match(output, @"Socket errors: .*") is { Success: true } e ? e.Value : "";
        if (errors.Length > 0)
        {
            Console.Error.WriteLine($"wrk {url}: {errors}");
        }

        return new Result(Match(@"Requests/sec:\s+([\d.]+)"), requests - non2xx, non2xx, elapsed, Ms("50"), Ms("99"));
    }
}

/// <summary>
/// Open loop: request i is due at start + i/rate whatever happened before; its latency counts from the due time, so a
/// stall is not hidden (no coordinated omission). At most 2000 requests outstanding.
/// </summary>
internal static class OpenLoop
{
    public sealed record Result(int Accepted, int Rejected, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(string url, int rate, int seconds)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false });
        var total = rate * seconds;
        var latencies = new double[total];
        var accepted = 0;
        var rejected = 0;
        var gate = new SemaphoreSlim(2000);
        var body = Encoding.UTF8.GetBytes("{\"bench\":true,\"pad\":\"" + new string('x', 64) + "\"}");
        var run = "o" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task>(total);
        // Every millisecond (Task.Delay's resolution) send what is due by then: an event leaves at most ~1 ms after its
        // due time, counted in its ingress latency. (Spinning for the exact time took a whole core of the two, from the
        // silo and the subscribers: 2026-11-27, EventBench at 1.2 cores during this phase.)
        var i = 0;
        while (i < total)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            if (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
                continue;
            }

            await gate.WaitAsync();
            var index = i++;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    request.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
                    request.Headers.TryAddWithoutValidation("ce-id", run + "-" + index.ToString(CultureInfo.InvariantCulture));
                    request.Headers.TryAddWithoutValidation("ce-source", "/bench");
                    request.Headers.TryAddWithoutValidation("ce-type", "bench.event");
                    using var response = await client.SendAsync(request);
                    latencies[index] = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref rejected);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref rejected);
                    latencies[index] = double.NaN;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        var sorted = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        return new Result(accepted, rejected, Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99));
    }
}

/// <summary>Raw SQLite baseline: one INSERT per fsynced transaction (WAL, synchronous=FULL), one writer, for N seconds.</summary>
internal static class RawSqlite
{
    public static double CommitsPerSecond(string directory, int seconds)
    {
        Directory.CreateDirectory(directory);
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "raw.db")};Pooling=False");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload BLOB);";
                setup.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO t (payload) VALUES ($p);";
            insert.Parameters.AddWithValue("$p", new byte[300]);
            var stop = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
            var n = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                insert.ExecuteNonQuery(); // autocommit: one transaction, one WAL fsync
                n++;
            }

            return Math.Round(n / (double)seconds, 1);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}

internal static class Cpu
{
    /// <summary>utime + stime of a process, from /proc/{pid}/stat (clock ticks of 10 ms).</summary>
    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}

internal static class Machine
{
    public static string Describe() =>
        $"{Environment.ProcessorCount} cpu, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
}
