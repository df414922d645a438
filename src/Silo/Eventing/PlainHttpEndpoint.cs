namespace Knative.Orleans.Silo.Eventing;

/// <summary>Where to connect (connections are pooled per host and port) and the request's first lines, for one target (<see cref="PlainHttpClient.EndpointFor"/>).</summary>
/// <param name="Host">The host to connect to.</param>
/// <param name="Port">The port.</param>
/// <param name="RequestPrefix">The request line, <c>Host</c>, and <c>Content-Length: </c> (its value follows).</param>
internal sealed record PlainHttpEndpoint(string Host, int Port, byte[] RequestPrefix)
{
    /// <summary>The connection pool's key.</summary>
    public (string Host, int Port) Key { get; } = (Host, Port);
}
