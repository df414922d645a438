namespace Knative.Orleans.Gateway.Throttling;

/// <summary>Which timer of a request fired (see <see cref="RequestTimers"/>).</summary>
public enum TimeoutKind
{
    /// <summary>None has fired.</summary>
    None,

    /// <summary>timeoutSeconds.</summary>
    Total,

    /// <summary>responseStartTimeoutSeconds, before the response headers.</summary>
    ResponseStart,

    /// <summary>idleTimeoutSeconds: no byte from the instance for that long.</summary>
    Idle,
}
