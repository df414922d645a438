namespace Knative.Orleans.Gateway.Routing;

public sealed partial class RouteSubscription
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Subscribed to the routing hub")]
        public static partial void Subscribed(ILogger logger);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Subscribing to the routing hub failed; retrying")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Resync of {RoutingKey} failed; keeping the cached entry")]
        public static partial void ResyncFailed(ILogger logger, string routingKey, Exception exception);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Unsubscribing from the routing hub failed")]
        public static partial void UnsubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
            Message = "The routing hub was reactivated (new epoch); resyncing every cached route and revision")]
        public static partial void HubChanged(ILogger logger);
    }
}
