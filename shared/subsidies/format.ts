/** 所属乡镇/代表小组 as the 签领表 prints it: 青山镇 / 第四代表小组, or a group already named after its township alone. */
export function placeText(township: string | null, group: string | null): string {
  if (township && group?.startsWith(township)) return group;
  return [township, group].filter(Boolean).join(' / ');
}
