namespace Knative.Orleans.Gateway.Metrics;

/// <summary>One closed window of a revision's load as collected by <see cref="InFlightTracker"/>.</summary>
/// <param name="RevisionKey"><c>{namespace}/{revision}</c>.</param>
/// <param name="AverageConcurrency">Time-weighted average of requests in flight over the window.</param>
/// <param name="RequestCount">Requests that arrived during the window.</param>
/// <param name="InFlight">Requests in flight when the window closed.</param>
public sealed record LoadSample(string RevisionKey, double AverageConcurrency, int RequestCount, int InFlight);
