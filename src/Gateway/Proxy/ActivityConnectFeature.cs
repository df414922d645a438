using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Http.Features;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>An HTTP/2 extended CONNECT (WebSocket) whose client stream feeds the idle timer (see <see cref="ActivityStream"/>).</summary>
internal sealed class ActivityConnectFeature(IHttpExtendedConnectFeature inner, RequestTimers timers) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => new ActivityStream(await inner.AcceptAsync(), timers);
}
