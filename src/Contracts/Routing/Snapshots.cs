namespace Knative.Orleans.Contracts.Routing;

/// <summary>
/// What the gateway needs to route a service's host: the revisions that take traffic and their percent.
/// Immutable; a higher <see cref="Version"/> replaces a lower one.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.RouteSnapshot")]
public sealed record RouteSnapshot
{
    /// <summary><c>{namespace}/{service}</c>.</summary>
    [Id(0)] public required string ServiceKey { get; init; }

    /// <summary>Monotonic version.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>Targets with percent &gt; 0 or a tag; empty while no revision is ready.</summary>
    [Id(2)] public RouteTarget[] Targets { get; init; } = [];

    /// <summary>False when the service does not exist (the host answers 404).</summary>
    [Id(3)] public bool Exists { get; init; }

    /// <summary>
    /// A revision to cold-start and wait for while no target is ready (the latest created revision), or null.
    /// </summary>
    [Id(4)] public string? PendingRevision { get; init; }
}

/// <summary>
/// Where a DomainMapping's host goes: a service's key, routed like the service's own host. Immutable; a higher
/// <see cref="Version"/> replaces a lower one.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.DomainMappingSnapshot")]
public sealed record DomainMappingSnapshot
{
    /// <summary>The mapped host (lower case, no port).</summary>
    [Id(0)] public required string Host { get; init; }

    /// <summary>Monotonic version.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>False when no DomainMapping routes the host (the host answers 404).</summary>
    [Id(2)] public bool Exists { get; init; }

    /// <summary><c>{namespace}/{service}</c> when <see cref="Exists"/>.</summary>
    [Id(3)] public string? ServiceKey { get; init; }
}

/// <summary>A revision that takes a share of a route's traffic.</summary>
[GenerateSerializer, Immutable, Alias("kn.RouteTarget")]
public sealed record RouteTarget
{
    /// <summary>Revision name (in the route's namespace).</summary>
    [Id(0)] public required string RevisionName { get; init; }

    /// <summary>Share in percent, 0..100.</summary>
    [Id(1)] public int Percent { get; init; }

    /// <summary>Tag, when the target has one.</summary>
    [Id(2)] public string? Tag { get; init; }
}

/// <summary>
/// A revision's routing view: its ready instances and request limits. Immutable; a higher <see cref="Version"/> replaces a lower one.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.RevisionEndpoints")]
public sealed record RevisionEndpoints
{
    /// <summary><c>{namespace}/{revision}</c>.</summary>
    [Id(0)] public required string RevisionKey { get; init; }

    /// <summary>Monotonic version.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>Instances that passed their readiness probe and take requests.</summary>
    [Id(2)] public Endpoint[] Ready { get; init; } = [];

    /// <summary>containerConcurrency (0 = unlimited).</summary>
    [Id(3)] public int ContainerConcurrency { get; init; }

    /// <summary>timeoutSeconds of the revision.</summary>
    [Id(4)] public int TimeoutSeconds { get; init; } = 300;

    /// <summary>True when the revision failed (Ready=False); held requests get 503 with <see cref="Message"/>.</summary>
    [Id(5)] public bool Failed { get; init; }

    /// <summary>The Ready message when failed.</summary>
    [Id(6)] public string? Message { get; init; }

    /// <summary>False when the revision does not exist.</summary>
    [Id(7)] public bool Exists { get; init; } = true;

    /// <summary>
    /// responseStartTimeoutSeconds of the revision: seconds from a request's arrival until the instance must have sent
    /// its response headers; 0 when not set.
    /// </summary>
    [Id(8)] public int ResponseStartTimeoutSeconds { get; init; }

    /// <summary>
    /// idleTimeoutSeconds of the revision: seconds a request may go without a byte from the instance (counted from its
    /// arrival until the first byte); 0 when not set.
    /// </summary>
    [Id(9)] public int IdleTimeoutSeconds { get; init; }

    /// <summary>
    /// True when the serving port is named <c>h2c</c> (Knative's rule): the gateway talks HTTP/2 cleartext (prior
    /// knowledge) to the instances, so gRPC and other HTTP/2-only apps work; otherwise HTTP/1.1.
    /// </summary>
    [Id(10)] public bool Http2 { get; init; }
}

/// <summary>A ready instance of a revision.</summary>
[GenerateSerializer, Immutable, Alias("kn.Endpoint")]
public sealed record Endpoint
{
    /// <summary>Instance id, unique within the revision.</summary>
    [Id(0)] public required string InstanceId { get; init; }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    [Id(1)] public required string Address { get; init; }
}

/// <summary>One second of load of one revision as one gateway saw it.</summary>
[GenerateSerializer, Immutable, Alias("kn.RevisionMetricSample")]
public sealed record RevisionMetricSample
{
    /// <summary>The reporting gateway.</summary>
    [Id(0)] public required string GatewayId { get; init; }

    /// <summary>End of the sampled second, Unix milliseconds.</summary>
    [Id(1)] public long TimestampUnixMs { get; init; }

    /// <summary>Time-averaged number of requests in flight over the second.</summary>
    [Id(2)] public double AverageConcurrency { get; init; }

    /// <summary>Requests that arrived during the second.</summary>
    [Id(3)] public int RequestCount { get; init; }

    /// <summary>Requests in flight (held or proxied) at the end of the second.</summary>
    [Id(4)] public int InFlight { get; init; }

    /// <summary>
    /// Requests this gateway has in flight to each instance at the end of the second: every instance it sends to (zeros
    /// included) plus any other instance that still has requests from it. An instance that is absent has none.
    /// </summary>
    [Id(5)] public InstanceInFlight[] Instances { get; init; } = [];

    /// <summary>
    /// A cold-start poke sent at once, outside the 1 s reports: its concurrency is the requests held now. Within one
    /// second the revision counts the larger of a gateway's pokes and its report, not their sum.
    /// </summary>
    [Id(6)] public bool IsPoke { get; init; }
}

/// <summary>Requests one gateway has in flight to one instance.</summary>
[GenerateSerializer, Immutable, Alias("kn.InstanceInFlight")]
public sealed record InstanceInFlight
{
    /// <summary>The instance (<see cref="Endpoint.InstanceId"/>).</summary>
    [Id(0)] public required string InstanceId { get; init; }

    /// <summary>Requests in flight to it.</summary>
    [Id(1)] public int InFlight { get; init; }
}
