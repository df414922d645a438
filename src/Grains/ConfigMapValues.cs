namespace Knative.Orleans.Grains;

/// <summary>
/// The first step of reading one of Knative's config maps (config-autoscaler, config-gc) from its configuration
/// section (pure): the set values by key, and an error for each key the config map does not know.
/// </summary>
public static class ConfigMapValues
{
    /// <summary>
    /// The values by key (case-insensitive, trimmed; null values are unset and skipped). An unknown key adds
    /// <c>{section}:{key} is not a {configMap} key (known keys: ...)</c> to <paramref name="errors"/> and is left out.
    /// </summary>
    public static Dictionary<string, string> Collect(
        IEnumerable<KeyValuePair<string, string?>> values, string section, string configMap, IReadOnlySet<string> keys, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(errors);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            if (value is null)
            {
                continue;
            }

            if (!keys.Contains(key))
            {
                errors.Add($"{section}:{key} is not a {configMap} key (known keys: {string.Join(", ", keys.Order())})");
                continue;
            }

            map[key] = value.Trim();
        }

        return map;
    }
}
