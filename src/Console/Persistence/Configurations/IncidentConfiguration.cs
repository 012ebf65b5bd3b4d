using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Warden.Domain.Incidents;

namespace Warden.Persistence.Configurations;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> builder)
    {
        builder.ToTable("Incidents");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(40);
        builder.Property(i => i.ContainmentId).HasMaxLength(40);
        builder.Property(i => i.Type).HasConversion<string>().HasMaxLength(24);
        builder.Property(i => i.RunbookKey).HasMaxLength(40);
        builder.Property(i => i.Title).HasMaxLength(400);
        builder.Property(i => i.Scope).HasConversion<string>().HasMaxLength(10);
        builder.Property(i => i.Target).HasMaxLength(450);
        builder.Property(i => i.TargetLabel).HasMaxLength(200);
        builder.Property(i => i.AgentId).HasMaxLength(40);
        builder.Property(i => i.AgentOwnerId).HasMaxLength(450);
        builder.Property(i => i.TrippedBy).HasMaxLength(200);
        builder.Property(i => i.DetectionKind).HasMaxLength(20);
        builder.Property(i => i.DetectionReference).HasMaxLength(40);
        builder.Property(i => i.DetectionSummary).HasMaxLength(500);
        builder.Property(i => i.OwnerId).HasMaxLength(450);
        builder.Property(i => i.OwnerName).HasMaxLength(200);
        builder.Property(i => i.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(i => i.WhatHappened).HasMaxLength(Incident.MaxTextLength);
        builder.Property(i => i.RootCause).HasMaxLength(Incident.MaxTextLength);
        builder.Property(i => i.Actions).HasMaxLength(Incident.MaxTextLength);
        builder.Property(i => i.ReviewedById).HasMaxLength(450);
        builder.Property(i => i.ReviewedByName).HasMaxLength(200);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.Ignore(i => i.DetectionToTrip);
        // One incident per trip, whichever instance opens it first.
        builder.HasIndex(i => i.ContainmentId).IsUnique();
        builder.HasIndex(i => new { i.State, i.OpenedAt });
        builder.HasIndex(i => new { i.AgentOwnerId, i.OpenedAt });

        builder.OwnsMany(i => i.Steps, step =>
        {
            step.ToTable("IncidentSteps");
            step.WithOwner().HasForeignKey("IncidentId");
            step.Property<int>("Id");
            step.HasKey("Id");
            step.Property(s => s.Text).HasMaxLength(400);
            step.Property(s => s.DoneById).HasMaxLength(450);
            step.Property(s => s.DoneByName).HasMaxLength(200);
            step.Ignore(s => s.IsDone);
        });
        builder.Navigation(i => i.Steps).HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.OwnsMany(i => i.Notes, note =>
        {
            note.ToTable("IncidentNotes");
            note.WithOwner().HasForeignKey("IncidentId");
            note.Property<int>("Id");
            note.HasKey("Id");
            note.Property(n => n.ById).HasMaxLength(450);
            note.Property(n => n.ByName).HasMaxLength(200);
            note.Property(n => n.Text).HasMaxLength(Incident.MaxTextLength);
        });
        builder.Navigation(i => i.Notes).HasField("_notes").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TabletopExerciseConfiguration : IEntityTypeConfiguration<TabletopExercise>
{
    public void Configure(EntityTypeBuilder<TabletopExercise> builder)
    {
        builder.ToTable("TabletopExercises");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(40);
        builder.Property(t => t.Title).HasMaxLength(TabletopExercise.MaxTitleLength);
        builder.Property(t => t.RunbookKey).HasMaxLength(40);
        builder.Property(t => t.ScheduledById).HasMaxLength(450);
        builder.Property(t => t.ScheduledByName).HasMaxLength(200);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(t => t.Participants).HasMaxLength(Incident.MaxTextLength);
        builder.Property(t => t.Findings).HasMaxLength(Incident.MaxTextLength);
        builder.Property(t => t.CompletedByName).HasMaxLength(200);
        builder.Property<int>("Version").IsConcurrencyToken();
        builder.HasIndex(t => t.ScheduledFor);

        builder.OwnsMany(t => t.Steps, step =>
        {
            step.ToTable("TabletopSteps");
            step.WithOwner().HasForeignKey("ExerciseId");
            step.Property<int>("Id");
            step.HasKey("Id");
            step.Property(s => s.Text).HasMaxLength(400);
            step.Property(s => s.DoneById).HasMaxLength(450);
            step.Property(s => s.DoneByName).HasMaxLength(200);
            step.Ignore(s => s.IsDone);
        });
        builder.Navigation(t => t.Steps).HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
