namespace Knative.Orleans.Gateway.Routing;

/// <summary>Builds and splits the <c>{namespace}/{name}</c> keys of service and revision grains.</summary>
public static class RoutingKeys
{
    /// <summary><c>{namespace}/{name}</c>.</summary>
    public static string Key(string @namespace, string name) => string.Concat(@namespace, "/", name);

    /// <summary>The namespace part of a <c>{namespace}/{name}</c> key (empty when there is no slash).</summary>
    public static string Namespace(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : key[..slash];
    }
}
