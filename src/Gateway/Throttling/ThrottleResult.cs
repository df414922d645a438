namespace Knative.Orleans.Gateway.Throttling;

/// <summary>How asking a revision for a slot ended.</summary>
public enum ThrottleOutcome
{
    /// <summary>A slot at a ready instance: <see cref="ThrottleResult.Slot"/>; dispose it when the request ends.</summary>
    Acquired,

    /// <summary>The revision's queue is full (503 <c>pending request queue full</c>).</summary>
    QueueFull,

    /// <summary>A timer fired while queued or held (504 <c>activator request timeout</c>).</summary>
    TimedOut,

    /// <summary>The client went away while queued.</summary>
    Canceled,

    /// <summary>The revision failed while requests waited for an instance (503 with its Ready message).</summary>
    Failed,

    /// <summary>The revision does not exist (503 <c>revision not found</c>).</summary>
    NotFound,
}

/// <summary>The result of <see cref="RevisionThrottler.AcquireAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Slot">The slot when Acquired.</param>
/// <param name="Message">The revision's failure message when Failed.</param>
public readonly record struct ThrottleResult(ThrottleOutcome Outcome, InstanceSlot? Slot = null, string? Message = null)
{
    public static ThrottleResult QueueFull => new(ThrottleOutcome.QueueFull);

    public static ThrottleResult TimedOut => new(ThrottleOutcome.TimedOut);

    public static ThrottleResult Canceled => new(ThrottleOutcome.Canceled);

    public static ThrottleResult NotFound => new(ThrottleOutcome.NotFound);

    public static ThrottleResult Acquired(InstanceSlot slot) => new(ThrottleOutcome.Acquired, slot);

    public static ThrottleResult Failed(string? message) => new(ThrottleOutcome.Failed, Message: message);
}
