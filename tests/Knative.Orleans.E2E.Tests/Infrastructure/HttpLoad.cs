using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>
/// Steady HTTP load through a gateway: each worker sends GET / to the services in turn, one request at a time, and
/// every outcome is recorded with its time, so a test can tell when a service stopped and started answering again.
/// </summary>
public sealed class HttpLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public HttpLoad(Func<HttpClient> client, string ns, IReadOnlyList<string> services, int workers)
    {
        for (var w = 0; w < workers; w++)
        {
            var offset = w;
            _workers.Add(Task.Run(() => RunAsync(client, ns, services, offset)));
        }
    }

    /// <summary>Every request: when it ended (since the load started), the service, and whether it got 200 with the hello body.</summary>
    public ConcurrentQueue<(TimeSpan At, string Service, bool Ok, string Detail)> Results { get; } = new();

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// For each service: the end of its last failure after <paramref name="from"/> (or <paramref name="from"/> if none
    /// failed), i.e. when it started answering for good.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> RecoveredAt(IEnumerable<string> services, TimeSpan from)
    {
        var all = Results.ToArray();
        return services.ToDictionary(s => s, s => all.Where(r => r.Service == s && !r.Ok && r.At >= from).Select(r => r.At).DefaultIfEmpty(from).Max());
    }

    /// <summary>True when every service had at least <paramref name="count"/> successes and no failure since <paramref name="since"/>.</summary>
    public bool AllHealthySince(IEnumerable<string> services, TimeSpan since, int count)
    {
        var recent = Results.Where(r => r.At >= since).ToArray();
        return services.All(s => recent.Count(r => r.Service == s && r.Ok) >= count && !recent.Any(r => r.Service == s && !r.Ok));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    private async Task RunAsync(Func<HttpClient> client, string ns, IReadOnlyList<string> services, int offset)
    {
        for (var i = offset; !_stop.IsCancellationRequested; i++)
        {
            var service = services[i % services.Count];
            bool ok;
            string detail;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                using var response = await client().SendAsync(Manifests.ToService(service, ns), timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                ok = response.StatusCode == HttpStatusCode.OK && body.StartsWith("Hello", StringComparison.Ordinal);
                detail = $"{(int)response.StatusCode} {body.Trim()}";
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                ok = false;
                detail = e.GetType().Name + ": " + e.Message;
            }

            Results.Enqueue((_clock.Elapsed, service, ok, detail));
        }
    }
}
