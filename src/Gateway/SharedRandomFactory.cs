using Yarp.ReverseProxy.Utilities;

namespace Knative.Orleans.Gateway;

/// <summary>The production <see cref="IRandomFactory"/>: the thread-safe <see cref="Random.Shared"/>.</summary>
public sealed class SharedRandomFactory : IRandomFactory
{
    /// <inheritdoc />
    public Random CreateRandomInstance() => Random.Shared;
}
