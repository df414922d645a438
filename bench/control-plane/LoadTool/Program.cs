using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

// Concurrent admin API clients for bench/control-plane/run.sh; prints one JSON object per run.
//   create  ADMIN_URL TOKEN NAMESPACE FIRST COUNT CONCURRENCY   POST COUNT services (initial-scale 0), names svc-{FIRST..}
//   healthz ADMIN_URL COUNT CONCURRENCY                         GET /healthz COUNT times (the HTTP floor: no grain, no auth)
//   list    ADMIN_URL TOKEN NAMESPACE                           GET the service list once (how long, how many items)
var mode = args[0];
var admin = args[1].TrimEnd('/');
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    UseProxy = false,
})
{
    BaseAddress = new Uri(admin),
    Timeout = TimeSpan.FromMinutes(10),
};

switch (mode)
{
    case "create":
    {
        http.DefaultRequestHeaders.Authorization = new("Bearer", args[2]);
        var ns = args[3];
        var first = int.Parse(args[4], CultureInfo.InvariantCulture);
        var count = int.Parse(args[5], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(args[6], CultureInfo.InvariantCulture);
        var path = $"/apis/serving.knative.dev/v1/namespaces/{ns}/services";
        Print(await RunAsync(count, concurrency, async i =>
        {
            using var content = new StringContent(Manifest($"svc-{first + i:D6}"), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(path, content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }

            return null;
        }));
        break;
    }

    case "healthz":
    {
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(args[3], CultureInfo.InvariantCulture);
        Print(await RunAsync(count, concurrency, async _ =>
        {
            using var response = await http.GetAsync("/healthz");
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }));
        break;
    }

    case "list":
    {
        http.DefaultRequestHeaders.Authorization = new("Bearer", args[2]);
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync($"/apis/serving.knative.dev/v1/namespaces/{args[3]}/services");
        var body = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        using var doc = JsonDocument.Parse(body);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = (int)response.StatusCode,
            ["items"] = doc.RootElement.GetProperty("items").GetArrayLength(),
            ["bytes"] = body.Length,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
        }));
        break;
    }

    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

return 0;

static string Manifest(string name) => $$$$$"""
    {"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"{{{{{name}}}}}"},
     "spec":{"template":{"metadata":{"annotations":{"autoscaling.knative.dev/initial-scale":"0"}},
       "spec":{"containers":[{"image":"bench/hello","command":["/usr/bin/python3","samples/hello/app.py"]}]}}}}
    """;

// Runs COUNT operations with CONCURRENCY workers taking the next index from a shared counter; latencies in ms.
static async Task<Dictionary<string, object>> RunAsync(int count, int concurrency, Func<int, Task<string?>> operation)
{
    var next = -1;
    var errors = 0;
    string? firstError = null;
    var latencies = new double[count];
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        await Task.Yield();
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                error = await operation(i);
            }
            catch (Exception e)
            {
                error = e.GetType().Name + ": " + e.Message;
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (error is not null && Interlocked.Increment(ref errors) == 1)
            {
                firstError = error;
            }
        }
    }));
    watch.Stop();
    Array.Sort(latencies);
    return new Dictionary<string, object>
    {
        ["count"] = count,
        ["concurrency"] = concurrency,
        ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
        ["per_second"] = Math.Round(count / watch.Elapsed.TotalSeconds, 1),
        ["p50_ms"] = Math.Round(latencies[count / 2], 2),
        ["p99_ms"] = Math.Round(latencies[Math.Min(count - 1, count * 99 / 100)], 2),
        ["errors"] = errors,
        ["first_error"] = firstError ?? "",
    };
}

static void Print(Dictionary<string, object> result) => Console.WriteLine(JsonSerializer.Serialize(result));
