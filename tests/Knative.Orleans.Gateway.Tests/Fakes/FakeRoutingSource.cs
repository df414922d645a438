using System.Collections.Concurrent;
using System.Threading.Channels;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Tests.Fakes;

/// <summary>
/// Stands in for the grains. Routes and endpoints are set by the test; WaitForReady waits for
/// <see cref="CompleteReady"/> (or its timeout) like the revision grain does.
/// </summary>
internal sealed class FakeRoutingSource : IRoutingSource
{
    private readonly ConcurrentDictionary<string, RouteSnapshot> _routes = new();
    private readonly ConcurrentDictionary<string, RevisionEndpoints> _endpoints = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RevisionEndpoints>> _ready = new();
    private readonly ConcurrentDictionary<string, DomainMappingSnapshot> _domains = new();
    private int _activateCalls;
    private int _getDomainMappingCalls;
    private int _getEndpointsCalls;
    private int _getRouteCalls;
    private int _subscribeCalls;

    public int ActivateCalls => Volatile.Read(ref _activateCalls);

    public int GetEndpointsCalls => Volatile.Read(ref _getEndpointsCalls);

    public int GetRouteCalls => Volatile.Read(ref _getRouteCalls);

    public int GetDomainMappingCalls => Volatile.Read(ref _getDomainMappingCalls);

    /// <summary>Maps <paramref name="host"/> to <paramref name="serviceKey"/> (null: unmapped) and returns the snapshot.</summary>
    public DomainMappingSnapshot SetDomainMapping(string host, string? serviceKey, long version) =>
        _domains[host] = new DomainMappingSnapshot { Host = host, Version = version, Exists = serviceKey is not null, ServiceKey = serviceKey };

    public Task<DomainMappingSnapshot> GetDomainMappingAsync(string host)
    {
        Interlocked.Increment(ref _getDomainMappingCalls);
        return Task.FromResult(_domains.TryGetValue(host, out var snapshot) ? snapshot : new DomainMappingSnapshot { Host = host, Version = 1 });
    }

    public bool FailSubscribe { get; set; }

    public IRouteObserver? Observer { get; private set; }

    /// <summary>Completes when WaitForReadyAsync is first called.</summary>
    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every sample sent, in order.</summary>
    public Channel<(string RevisionKey, RevisionMetricSample Sample)> Samples { get; } = Channel.CreateUnbounded<(string, RevisionMetricSample)>();

    /// <summary>Every batch sent, in order.</summary>
    public Channel<RevisionMetricBatch> Batches { get; } = Channel.CreateUnbounded<RevisionMetricBatch>();

    /// <summary>What SubscribeAsync answers as the live gateways (besides the subscriber).</summary>
    public string[] Gateways { get; set; } = [];

    /// <summary>The gateway id of the last subscription.</summary>
    public string? SubscribedGatewayId { get; private set; }

    /// <summary>Used by GetRouteSnapshotAsync when set: lets a test hold route pulls.</summary>
    public Task? RouteGate { get; set; }

    public static Endpoint Endpoint(string address, string id = "i-1") => new() { InstanceId = id, Address = address };

    public void AddService(string ns, string name, (string Revision, int Percent)[] targets, string? pending = null, long version = 1) =>
        _routes[$"{ns}/{name}"] = new RouteSnapshot
        {
            ServiceKey = $"{ns}/{name}",
            Version = version,
            Exists = true,
            Targets = [.. targets.Select(t => new RouteTarget { RevisionName = t.Revision, Percent = t.Percent })],
            PendingRevision = pending,
        };

    public void AddTaggedService(string ns, string name, (string Revision, int Percent, string? Tag)[] targets, long version = 1) =>
        _routes[$"{ns}/{name}"] = new RouteSnapshot
        {
            ServiceKey = $"{ns}/{name}",
            Version = version,
            Exists = true,
            Targets = [.. targets.Select(t => new RouteTarget { RevisionName = t.Revision, Percent = t.Percent, Tag = t.Tag })],
        };

    public static RevisionEndpoints MakeEndpoints(
        string revisionKey, long version, string[] addresses, int timeoutSeconds = 300, bool failed = false, string? message = null,
        int containerConcurrency = 0, int responseStartTimeoutSeconds = 0, int idleTimeoutSeconds = 0, bool http2 = false) =>
        new()
        {
            RevisionKey = revisionKey,
            Version = version,
            TimeoutSeconds = timeoutSeconds,
            Failed = failed,
            Message = message,
            Ready = [.. addresses.Select((a, i) => Endpoint(a, $"i-{i}"))],
            ContainerConcurrency = containerConcurrency,
            ResponseStartTimeoutSeconds = responseStartTimeoutSeconds,
            IdleTimeoutSeconds = idleTimeoutSeconds,
            Http2 = http2,
        };

    public RevisionEndpoints SetEndpoints(
        string revisionKey, long version, string[] addresses, int timeoutSeconds = 300, bool failed = false, string? message = null,
        int containerConcurrency = 0, int responseStartTimeoutSeconds = 0, int idleTimeoutSeconds = 0, bool http2 = false)
    {
        var endpoints = MakeEndpoints(revisionKey, version, addresses, timeoutSeconds, failed, message, containerConcurrency, responseStartTimeoutSeconds, idleTimeoutSeconds, http2);
        _endpoints[revisionKey] = endpoints;
        return endpoints;
    }

    /// <summary>Makes pending and future WaitForReadyAsync calls for the revision return <paramref name="endpoints"/>.</summary>
    public void CompleteReady(RevisionEndpoints endpoints)
    {
        _endpoints[endpoints.RevisionKey] = endpoints;
        ReadyFor(endpoints.RevisionKey).TrySetResult(endpoints);
    }

    public async Task<RouteSnapshot> GetRouteSnapshotAsync(string serviceKey)
    {
        Interlocked.Increment(ref _getRouteCalls);
        if (RouteGate is { } gate)
        {
            await gate;
        }

        return _routes.TryGetValue(serviceKey, out var route) ? route : new RouteSnapshot { ServiceKey = serviceKey, Version = 1, Exists = false };
    }

    public Task<RevisionEndpoints> GetEndpointsAsync(string revisionKey)
    {
        Interlocked.Increment(ref _getEndpointsCalls);
        return Task.FromResult(Current(revisionKey));
    }

    public Task<RevisionEndpoints> ActivateAsync(string revisionKey)
    {
        Interlocked.Increment(ref _activateCalls);
        return Task.FromResult(Current(revisionKey));
    }

    public async Task<RevisionEndpoints> WaitForReadyAsync(string revisionKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        WaitStarted.TrySetResult();
        try
        {
            return await ReadyFor(revisionKey).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Current(revisionKey);
        }
    }

    public Task ReportMetricsAsync(string revisionKey, RevisionMetricSample sample)
    {
        Samples.Writer.TryWrite((revisionKey, sample));
        return Task.CompletedTask;
    }

    public Task ReportMetricsBatchAsync(RevisionMetricBatch batch)
    {
        Batches.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    /// <summary>What SubscribeAsync answers as the hub's epoch; a test changes it to play a reactivated hub.</summary>
    public string Epoch { get; set; } = "epoch-1";

    /// <summary>How many SubscribeAsync calls were made (renewals included).</summary>
    public int SubscribeCalls => Volatile.Read(ref _subscribeCalls);

    public Task<HubSubscription> SubscribeAsync(string gatewayId, IRouteObserver observer)
    {
        Interlocked.Increment(ref _subscribeCalls);
        if (FailSubscribe)
        {
            return Task.FromException<HubSubscription>(new InvalidOperationException("hub unavailable"));
        }

        Observer = observer;
        SubscribedGatewayId = gatewayId;
        return Task.FromResult(new HubSubscription { Gateways = [.. Gateways, gatewayId], Epoch = Epoch });
    }

    public Task UnsubscribeAsync(IRouteObserver observer) => Task.CompletedTask;

    private RevisionEndpoints Current(string revisionKey) =>
        _endpoints.TryGetValue(revisionKey, out var endpoints)
            ? endpoints
            : new RevisionEndpoints { RevisionKey = revisionKey, Version = 1, Exists = false };

    private TaskCompletionSource<RevisionEndpoints> ReadyFor(string revisionKey) =>
        _ready.GetOrAdd(revisionKey, _ => new TaskCompletionSource<RevisionEndpoints>(TaskCreationOptions.RunContinuationsAsynchronously));
}
