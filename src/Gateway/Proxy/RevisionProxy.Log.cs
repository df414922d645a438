using Knative.Orleans.Gateway.Throttling;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Proxy;

public sealed partial class RevisionProxy
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Forwarding to {RevisionKey} at {Address} failed: {ForwarderError}")]
        public static partial void ForwardFailed(ILogger logger, string revisionKey, string address, ForwarderError forwarderError, Exception? exception);

        [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Connection to {RevisionKey} at {Address} refused; refreshing endpoints and retrying once")]
        public static partial void RetryingRefused(ILogger logger, string revisionKey, string address, Exception? exception);

        [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Refreshing the endpoints of {RevisionKey} failed")]
        public static partial void RefreshFailed(ILogger logger, string revisionKey, Exception exception);

        [LoggerMessage(EventId = 2024, Level = LogLevel.Information, Message = "Request to {RevisionKey} at {Address} timed out ({TimeoutKind}); response started: {ResponseStarted}")]
        public static partial void TimedOut(ILogger logger, string revisionKey, string address, TimeoutKind timeoutKind, bool responseStarted);

        [LoggerMessage(EventId = 2023, Level = LogLevel.Debug, Message = "Request to {RevisionKey} ended by the client: {ForwarderError}")]
        public static partial void ClientError(ILogger logger, string revisionKey, ForwarderError forwarderError, Exception? exception);
    }
}
