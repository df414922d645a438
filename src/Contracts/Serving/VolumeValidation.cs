using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Volumes and volume mounts as knative/serving <c>k8s_validation.go</c> checks them (<c>ValidateVolumes</c>,
/// <c>validateVolume</c>, <c>validateVolumeMounts</c>) with the default features: emptyDir on, persistentVolumeClaim off.
/// Paths are relative to the revision spec.
/// </summary>
internal static class VolumeValidation
{
    /// <summary>Mount paths the runtime owns (<c>mountPath "/dev" is a reserved path</c>).</summary>
    private static readonly HashSet<string> ReservedPaths = new(StringComparer.Ordinal) { "/", "/dev", "/dev/log", "/tmp", "/var", "/var/log" };

    /// <summary>Message of a mount that must be read-only for its volume's source.</summary>
    public const string ReadOnlyMessage = "volume mount should be readOnly for this type of volume";

    /// <summary>Every error of <c>volumes</c> and of each container's <c>volumeMounts</c>.</summary>
    public static FieldErrors Validate(RevisionSpec? spec)
    {
        var volumes = spec?.Volumes ?? [];
        var containers = spec?.Containers ?? [];
        var mounted = containers.SelectMany(c => c.VolumeMounts ?? []).Select(m => m.Name ?? "").ToHashSet(StringComparer.Ordinal);
        var byName = new Dictionary<string, Volume>(StringComparer.Ordinal);
        var errors = FieldErrors.None;
        for (var i = 0; i < volumes.Count; i++)
        {
            var name = volumes[i].Name ?? "";
            if (byName.ContainsKey(name))
            {
                errors = errors.Also(FieldErrors.Of($"duplicate volume name {NameRules.GoQuote(name)}", null, "name").ViaFieldIndex("volumes", i));
            }

            if (!mounted.Contains(name))
            {
                errors = errors.Also(FieldErrors.Of($"volume with name {NameRules.GoQuote(name)} not mounted", null, "name").ViaFieldIndex("volumes", i));
            }

            errors = errors.Also(Volume(volumes[i]).ViaFieldIndex("volumes", i));
            byName.TryAdd(name, volumes[i]);
        }

        for (var i = 0; i < containers.Count; i++)
        {
            errors = errors.Also(Mounts(containers[i].VolumeMounts ?? [], byName).ViaField("volumeMounts").ViaFieldIndex("containers", i));
        }

        return errors;
    }

    private static FieldErrors Volume(Volume volume)
    {
        var errors = string.IsNullOrEmpty(volume.Name) ? FieldErrors.Missing("name")
            : NameRules.Dns1123Label(volume.Name).Count > 0 ? FieldErrors.Invalid(volume.Name, "name")
            : FieldErrors.None;

        // Sources outside Knative's VolumeSourceMask, and persistentVolumeClaim with its feature flag off.
        errors = errors.Also(ContainerValidation.DisallowedFields(volume.OtherFields, Keys(volume.OtherFields)));
        if (volume.PersistentVolumeClaim is not null)
        {
            errors = errors.Also(FieldErrors.Disallowed("persistentVolumeClaim"));
        }

        var specified = new List<string>();
        if (volume.Secret is { } secret)
        {
            specified.Add("secret");
            errors = errors.Also(Items(secret.Items).ViaField("secret"));
        }

        if (volume.ConfigMap is { } configMap)
        {
            specified.Add("configMap");
            errors = errors.Also(Items(configMap.Items).ViaField("configMap"));
        }

        if (volume.Projected is { } projected)
        {
            specified.Add("projected");
            var sources = projected.Sources ?? [];
            for (var i = 0; i < sources.Count; i++)
            {
                errors = errors.Also(Projection(sources[i]).ViaFieldIndex("projected", i));
            }
        }

        if (volume.EmptyDir is not null)
        {
            specified.Add("emptyDir");
        }

        return errors.Also(specified.Count switch
        {
            0 when volume.PersistentVolumeClaim is null => FieldErrors.OneOfNeither("secret", "configMap", "projected", "emptyDir"),
            > 1 => FieldErrors.OneOfBoth([.. specified]),
            _ => FieldErrors.None,
        });
    }

    private static FieldErrors Projection(VolumeProjection projection)
    {
        var errors = ContainerValidation.DisallowedFields(projection.OtherFields, Keys(projection.OtherFields));
        var specified = new List<string>();
        foreach (var (source, field) in new[] { (projection.Secret, "secret"), (projection.ConfigMap, "configMap") })
        {
            if (source is not null)
            {
                specified.Add(field);
                errors = errors.Also((string.IsNullOrEmpty(source.Name) ? FieldErrors.Missing("name") : FieldErrors.None)
                    .Also(Items(source.Items)).ViaField(field));
            }
        }

        return errors.Also(specified.Count switch
        {
            0 => FieldErrors.OneOfNeither("secret", "configMap"),
            > 1 => FieldErrors.OneOfBoth([.. specified]),
            _ => FieldErrors.None,
        });
    }

    private static FieldErrors Items(List<KeyToPath>? items)
    {
        var errors = FieldErrors.None;
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            errors = errors.Also(string.IsNullOrEmpty(item.Key) ? FieldErrors.Missing("key").ViaFieldIndex("items", i) : FieldErrors.None)
                .Also(string.IsNullOrEmpty(item.Path) ? FieldErrors.Missing("path").ViaFieldIndex("items", i) : FieldErrors.None);
        }

        return errors;
    }

    private static FieldErrors Mounts(List<VolumeMount> mounts, Dictionary<string, Volume> volumes)
    {
        var errors = FieldErrors.None;
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var mountErrors = ContainerValidation.DisallowedFields(mount.OtherFields, Keys(mount.OtherFields));
            if (!volumes.TryGetValue(mount.Name ?? "", out var volume))
            {
                mountErrors = mountErrors.Also(FieldErrors.Of("volumeMount has no matching volume", null, "name"));
            }
            else if (mount.ReadOnly == false && volume.EmptyDir is null)
            {
                mountErrors = mountErrors.Also(FieldErrors.Of(ReadOnlyMessage, null, "readOnly"));
            }

            var path = mount.MountPath ?? "";
            var clean = CleanPath(path);
            if (path.Length == 0)
            {
                mountErrors = mountErrors.Also(FieldErrors.Missing("mountPath"));
            }
            else if (ReservedPaths.Contains(clean))
            {
                mountErrors = mountErrors.Also(FieldErrors.Of($"mountPath {NameRules.GoQuote(clean)} is a reserved path", null, "mountPath"));
            }
            else if (!path.StartsWith('/'))
            {
                mountErrors = mountErrors.Also(FieldErrors.Invalid(path, "mountPath"));
            }
            else if (paths.Contains(clean))
            {
                mountErrors = mountErrors.Also(FieldErrors.Invalid($"{NameRules.GoQuote(path)} must be unique", "mountPath"));
            }

            paths.Add(clean);
            errors = errors.Also(mountErrors.ViaIndex(i));
        }

        return errors;
    }

    private static string[] Keys(Dictionary<string, System.Text.Json.JsonElement>? fields) => fields is null ? [] : [.. fields.Keys];

    /// <summary>Go's <c>filepath.Clean</c> for the paths compared here: no empty or "." segments, ".." resolved.</summary>
    internal static string CleanPath(string path)
    {
        var absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !absolute)
            {
                parts.Add(part);
            }
        }

        var joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
