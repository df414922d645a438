namespace Knative.Orleans.Gateway;

public sealed partial class GatewayRequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Looking up the route of {ServiceKey} failed")]
        public static partial void RouteLookupFailed(ILogger logger, string serviceKey, Exception exception);
    }
}
