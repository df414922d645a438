using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Http.Features;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>An HTTP/1.1 upgrade (WebSocket) whose client stream feeds the idle timer (see <see cref="ActivityStream"/>).</summary>
internal sealed class ActivityUpgradeFeature(IHttpUpgradeFeature inner, RequestTimers timers) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new ActivityStream(await inner.UpgradeAsync(), timers);
}
