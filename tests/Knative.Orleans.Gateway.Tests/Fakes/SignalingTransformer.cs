using Knative.Orleans.Gateway.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Tests.Fakes;

/// <summary>The gateway's transformer, plus a signal when an instance's response headers reached the gateway.</summary>
internal sealed class SignalingTransformer : HttpTransformer
{
    public TaskCompletionSource ResponseStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken) =>
        ForwardingTransformer.Instance.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await ForwardingTransformer.Instance.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null)
        {
            ResponseStarted.TrySetResult();
        }

        return result;
    }

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        ForwardingTransformer.Instance.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
}
