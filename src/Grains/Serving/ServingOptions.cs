namespace Knative.Orleans.Grains.Serving;

/// <summary>Serving settings (configuration section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Serving";

    /// <summary>Domain of service hosts: <c>http://{name}.{namespace}.{Domain}</c>. Default <c>example.com</c>.</summary>
    public string Domain { get; set; } = "example.com";

    /// <summary>Admin API path prefix used in revision <c>logUrl</c>s. Default empty (relative path).</summary>
    public string AdminBaseUrl { get; set; } = "";

    /// <summary>Seconds a workload gets between SIGTERM and SIGKILL when it is stopped. Default 5.</summary>
    public int StopGracePeriodSeconds { get; set; } = 5;

    /// <summary>
    /// Default gradual rollout duration (Knative's config-network <c>rollout-duration</c>); the
    /// <c>serving.knative.dev/rollout-duration</c> annotation of a Service or Route overrides it. Default 0 = off.
    /// </summary>
    public TimeSpan RolloutDuration { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// True (default) on the local process runtime: its limits are checked when a service is applied (command required,
    /// no exec/gRPC probes). The platform sets it to false when <c>Runtime:Kind=kubernetes</c>, where images run with their
    /// own entrypoint.
    /// </summary>
    public bool LocalProcessRuntime { get; set; } = true;
}
