using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Gateway.Activation;

/// <summary>How waiting for a revision's endpoints ended.</summary>
public enum ActivationOutcome
{
    /// <summary>The revision has a ready instance; <see cref="ActivationResult.Endpoints"/> lists them.</summary>
    Ready,

    /// <summary>No ready instance within the revision's timeoutSeconds (504 <c>activator request timeout</c>).</summary>
    TimedOut,

    /// <summary>The revision failed (503 with its Ready message).</summary>
    Failed,

    /// <summary>The revision does not exist (503 <c>revision not found</c>).</summary>
    NotFound,

    /// <summary>The client went away while the request was held.</summary>
    Canceled,
}

/// <summary>The result of <see cref="RevisionActivator.GetReadyEndpointsAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Endpoints">The endpoints, with at least one ready instance when <paramref name="Outcome"/> is Ready.</param>
/// <param name="Message">The revision's failure message when Failed.</param>
public readonly record struct ActivationResult(ActivationOutcome Outcome, RevisionEndpoints? Endpoints = null, string? Message = null)
{
    public static ActivationResult Ready(RevisionEndpoints endpoints) => new(ActivationOutcome.Ready, endpoints);

    public static ActivationResult TimedOut => new(ActivationOutcome.TimedOut);

    public static ActivationResult NotFound => new(ActivationOutcome.NotFound);

    public static ActivationResult Canceled => new(ActivationOutcome.Canceled);

    public static ActivationResult Failed(string? message) => new(ActivationOutcome.Failed, Message: message);
}
