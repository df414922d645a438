using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>The three request timers of a revision, in seconds from a request's arrival; 0 = not set.</summary>
/// <param name="TimeoutSeconds">timeoutSeconds: always armed.</param>
/// <param name="ResponseStartTimeoutSeconds">responseStartTimeoutSeconds: until the response headers (or a 101).</param>
/// <param name="IdleTimeoutSeconds">idleTimeoutSeconds: the longest gap without a byte from the instance.</param>
public readonly record struct RevisionTimeouts(int TimeoutSeconds, int ResponseStartTimeoutSeconds, int IdleTimeoutSeconds)
{
    /// <summary>Knative's <c>revision-timeout-seconds</c>: the limit while a revision's own is unknown.</summary>
    public const int DefaultTimeoutSeconds = 300;

    /// <summary>The timers before the revision's endpoints are known.</summary>
    public static RevisionTimeouts Default => new(DefaultTimeoutSeconds, 0, 0);

    /// <summary>The timers of <paramref name="endpoints"/>, or <see cref="Default"/> while they are unknown.</summary>
    public static RevisionTimeouts Of(RevisionEndpoints? endpoints) => endpoints is null
        ? Default
        : new(
            endpoints.TimeoutSeconds > 0 ? endpoints.TimeoutSeconds : DefaultTimeoutSeconds,
            Math.Max(0, endpoints.ResponseStartTimeoutSeconds),
            Math.Max(0, endpoints.IdleTimeoutSeconds));
}
