namespace Knative.Orleans.Contracts.Serving;

/// <summary>A Kubernetes probe; exactly one handler (httpGet, tcpSocket, exec, grpc) may be set.</summary>
[GenerateSerializer, Alias("kn.Probe")]
public sealed record Probe
{
    /// <summary>HTTP GET handler: ready on a 2xx/3xx answer.</summary>
    [Id(0)] public HttpGetAction? HttpGet { get; init; }

    /// <summary>TCP handler: ready when a connection opens.</summary>
    [Id(1)] public TcpSocketAction? TcpSocket { get; init; }

    /// <summary>Exec handler (not supported by the embedded runtime).</summary>
    [Id(2)] public ExecAction? Exec { get; init; }

    /// <summary>gRPC handler (not supported by the embedded runtime).</summary>
    [Id(3)] public GrpcAction? Grpc { get; init; }

    /// <summary>Seconds before the first probe.</summary>
    [Id(4)] public int? InitialDelaySeconds { get; init; }

    /// <summary>Seconds per probe; 0 (the Knative default) probes aggressively, every 50 ms.</summary>
    [Id(5)] public int? PeriodSeconds { get; init; }

    /// <summary>Seconds per attempt.</summary>
    [Id(6)] public int? TimeoutSeconds { get; init; }

    /// <summary>Consecutive successes needed.</summary>
    [Id(7)] public int? SuccessThreshold { get; init; }

    /// <summary>Consecutive failures that mark the instance unready.</summary>
    [Id(8)] public int? FailureThreshold { get; init; }
}

/// <summary>HTTP GET probe.</summary>
[GenerateSerializer, Alias("kn.HttpGetAction")]
public sealed record HttpGetAction
{
    /// <summary>Request path (default <c>/</c>).</summary>
    [Id(0)] public string? Path { get; init; }

    /// <summary>Port; empty or equal to the serving port.</summary>
    [Id(1)] public IntOrString? Port { get; init; }

    /// <summary><c>HTTP</c> (default) or <c>HTTPS</c>.</summary>
    [Id(2)] public string? Scheme { get; init; }

    /// <summary>Extra request headers.</summary>
    [Id(3)] public List<HttpHeader>? HttpHeaders { get; init; }
}

/// <summary>An HTTP header of a probe.</summary>
[GenerateSerializer, Alias("kn.HttpHeader")]
public sealed record HttpHeader
{
    /// <summary>Header name.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>Header value.</summary>
    [Id(1)] public string? Value { get; init; }
}

/// <summary>TCP probe.</summary>
[GenerateSerializer, Alias("kn.TcpSocketAction")]
public sealed record TcpSocketAction
{
    /// <summary>Port; empty or equal to the serving port.</summary>
    [Id(0)] public IntOrString? Port { get; init; }
}

/// <summary>Exec probe.</summary>
[GenerateSerializer, Alias("kn.ExecAction")]
public sealed record ExecAction
{
    /// <summary>Command line.</summary>
    [Id(0)] public List<string>? Command { get; init; }
}

/// <summary>gRPC probe.</summary>
[GenerateSerializer, Alias("kn.GrpcAction")]
public sealed record GrpcAction
{
    /// <summary>Port.</summary>
    [Id(0)] public int? Port { get; init; }

    /// <summary>Service name.</summary>
    [Id(1)] public string? Service { get; init; }
}
